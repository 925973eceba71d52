import Allocation
import Foundation

/// Whether network design may decide about a site (docs/network-design.md).
public enum SiteStatus: String, Sendable, Codable, CaseIterable {
    /// The model opens it or not.
    case candidate
    /// Must be open (e.g. a lease that cannot be broken).
    case open
    /// Left out of the network.
    case closed

    var facilityStatus: FacilityLocationProblem.FacilityStatus {
        switch self {
        case .candidate: .candidate
        case .open: .forcedOpen
        case .closed: .forcedClosed
        }
    }
}

/// A warehouse site the network design may open: one of the scenario's warehouses or a candidate.
public struct NetworkSite: Sendable, Equatable {
    public var warehouse: Warehouse
    /// Where it is declared: `warehouses[0]`, `network_design.candidate_warehouses[0]`, or
    /// `variants[1].changes[1].warehouse`.
    public var origin: String
    /// The variant whose `add_warehouse` change declares it, if one does.
    public var variant: String?
    /// True for the scenario's own warehouses.
    public var existing: Bool
    public var status: SiteStatus

    public init(warehouse: Warehouse, origin: String, variant: String? = nil, existing: Bool, status: SiteStatus = .candidate) {
        self.warehouse = warehouse
        self.origin = origin
        self.variant = variant
        self.existing = existing
        self.status = status
    }
}

/// What scenario.json declares for network design: candidate sites (the `network_design`
/// section's `candidate_warehouses` and every `add_warehouse` change of the `variants`) and the
/// status of sites (`network_design.status`). Read with the scenario's positioned errors.
public struct NetworkDesignDeclarations: Sendable {
    public struct Candidate: Sendable {
        public var warehouse: Warehouse
        /// `network_design.candidate_warehouses[0]` or `variants[1].changes[1].warehouse`.
        public var path: String
        public var line: Int
        public var idLine: Int
        public var variant: String?
    }

    public struct Status: Sendable {
        public var id: String
        public var status: SiteStatus
        public var line: Int
    }

    public var file: String
    /// In file order: `candidate_warehouses` first, then the variants' sites.
    public var candidates: [Candidate]
    public var statuses: [Status]
    /// Line of the `network_design` section (nil: absent).
    public var sectionLine: Int?
    /// Ids of the file's own `warehouses`, in order (a variant's world may have others).
    public var fileWarehouses: [String]

    /// Reads the declarations of scenario.json (ids of candidate sites must be new to the
    /// document's scenario, their vehicle type ids too).
    public static func read(_ document: ScenarioDocument) throws(InputError) -> NetworkDesignDeclarations {
        let (scenario, file) = (document.scenario, document.file)
        let top = try document.top()
        var out = NetworkDesignDeclarations(file: file, candidates: [], statuses: [], sectionLine: nil,
                                            fileWarehouses: scenario.warehouses.map(\.id))
        var seenIds = Dictionary(scenario.warehouses.enumerated().map { ($1.id, "warehouses[\($0)]") }) { a, _ in a }
        var statusNode: Fields?
        if let section = try top.optionalObject("network_design") {
            out.sectionLine = section.node.line
            try section.rejectUnknown(["candidate_warehouses", "status"])
            var seenTypes: [String: String] = [:]
            for (w, wh) in scenario.warehouses.enumerated() {
                for (v, t) in wh.vehicleTypes.enumerated() { seenTypes[t.id] = "warehouses[\(w)].vehicle_types[\(v)]" }
            }
            if section.optional("candidate_warehouses") != nil {
                for (path, node) in try section.array("candidate_warehouses", nonEmpty: false, max: InputLimits.warehouses) {
                    let f = try Fields(node, path: path, file: file)
                    let w = try ScenarioLoader.warehouse(f, seenVehicleTypes: &seenTypes)
                    let idLine = f.optional("id")?.line ?? node.line
                    if let first = seenIds[w.id] {
                        throw InputError(file: file, line: idLine, field: path + ".id", "duplicate warehouse id \"\(w.id)\", first at \(first)")
                    }
                    seenIds[w.id] = path
                    out.candidates.append(Candidate(warehouse: w, path: path, line: node.line, idLine: idLine, variant: nil))
                }
            }
            statusNode = try section.optionalObject("status")
        }
        // Sites that variants add (docs/simulation.md): their full validation is the simulation's;
        // here each `add_warehouse` change is read as a warehouse object.
        if top.optional("variants") != nil {
            for (vpath, vnode) in try top.array("variants", nonEmpty: false, max: 100) {
                let v = try Fields(vnode, path: vpath, file: file)
                let name = try v.string("name")
                guard v.optional("changes") != nil else { continue }
                for (cpath, cnode) in try v.array("changes", max: 1_000) {
                    let c = try Fields(cnode, path: cpath, file: file)
                    guard case .string("add_warehouse")? = c.optional("change")?.value else { continue }
                    let wf = try c.object("warehouse")
                    var fresh: [String: String] = [:]
                    let w = try ScenarioLoader.warehouse(wf, seenVehicleTypes: &fresh)
                    out.candidates.append(Candidate(warehouse: w, path: wf.path, line: wf.node.line,
                                                    idLine: wf.optional("id")?.line ?? wf.node.line, variant: name))
                }
            }
        }
        if let s = statusNode {
            let known = Set(seenIds.keys).union(out.candidates.map(\.warehouse.id))
            for k in s.keys {
                guard known.contains(k) else {
                    throw s.fail(k, s.optional(k), "unknown warehouse \"\(k)\" (not in warehouses, network_design.candidate_warehouses or a variant's add_warehouse)")
                }
                out.statuses.append(Status(id: k, status: try s.oneOf(k, SiteStatus.self), line: s.optional(k)?.line ?? s.node.line))
            }
        }
        return out
    }

    /// The sites of the design: the scenario's warehouses, then the selected candidates in
    /// declaration order, with their statuses (`network_design.status`, then `open` and
    /// `close` from the command line).
    ///
    /// - Parameter selection: candidate site ids and/or variant names (all of that variant's
    ///   sites); nil: every declared candidate; `["none"]`: the scenario's warehouses only.
    ///   A candidate whose id is already a site is the same site when its data are identical,
    ///   and an error otherwise.
    public func sites(for scenario: Scenario, selection: [String]? = nil, open: [String] = [], close: [String] = []) throws(InputError)
        -> [NetworkSite] {
        // A variant's world (`lastmile allocate --variant`) may hold warehouses the file's list has not.
        var sites = scenario.warehouses.enumerated().map { i, w in
            if let k = fileWarehouses.firstIndex(of: w.id) { return NetworkSite(warehouse: w, origin: "warehouses[\(k)]", existing: true) }
            let c = candidates.first { $0.warehouse == w }
            return NetworkSite(warehouse: w, origin: c?.path ?? "warehouses[\(i)]", variant: c?.variant, existing: true)
        }
        var chosen: [Candidate] = []
        if let selection {
            let variants = candidates.compactMap(\.variant).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            for name in selection where name != "none" {
                let matching = candidates.filter { $0.variant == name || $0.warehouse.id == name }
                guard !matching.isEmpty else {
                    let ids = candidates.map(\.warehouse.id).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                    throw InputError(field: "--candidates", "no candidate site or variant named \"\(name)\" (candidate sites: "
                                     + (ids.isEmpty ? "none" : ids.joined(separator: ", ")) + "; variants that add sites: "
                                     + (variants.isEmpty ? "none" : variants.joined(separator: ", ")) + ")")
                }
                for m in matching where !chosen.contains(where: { $0.path == m.path }) { chosen.append(m) }
            }
            chosen.sort { a, b in candidates.firstIndex { $0.path == a.path }! < candidates.firstIndex { $0.path == b.path }! }
        } else {
            chosen = candidates
        }
        for c in chosen {
            if let same = sites.first(where: { $0.warehouse.id == c.warehouse.id }) {
                guard same.warehouse == c.warehouse else {
                    throw InputError(file: file, line: c.idLine, field: c.path + ".id",
                                     "warehouse \"\(c.warehouse.id)\" differs from the one at \(same.origin); "
                                     + "choose one site with --candidates (a variant name or a site id)")
                }
                continue
            }
            sites.append(NetworkSite(warehouse: c.warehouse, origin: c.path, variant: c.variant, existing: false))
        }
        for s in statuses {
            if let i = sites.firstIndex(where: { $0.warehouse.id == s.id }) { sites[i].status = s.status }
        }
        for (flag, ids, status) in [("--open", open, SiteStatus.open), ("--close", close, SiteStatus.closed)] {
            for id in ids {
                guard let i = sites.firstIndex(where: { $0.warehouse.id == id }) else {
                    throw InputError(field: flag, "no site \"\(id)\" (sites: \(sites.map(\.warehouse.id).joined(separator: ", ")))")
                }
                if flag == "--close" && open.contains(id) {
                    throw InputError(field: flag, "\"\(id)\" is also in --open")
                }
                sites[i].status = status
            }
        }
        return sites
    }
}
