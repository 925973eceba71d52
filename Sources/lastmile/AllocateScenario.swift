import Foundation
import Planning
import Simulation

extension Allocate {
    /// Network design of a scenario: load, build the demand, resolve the sites, solve, write.
    func runScenario() throws {
        // One parse of scenario.json serves the scenario, its network_design and simulation sections.
        let document = try ScenarioLoader.loadDocument(path: file)
        let (base, scenarioFile, declarations) = (document.scenario, document.file, try NetworkDesignDeclarations.read(document))
        var scenario = base
        let demand: NetworkDemand
        if let days {
            let setup = try SimulationLoader.read(document)
            let world = try setup.select([variant ?? "base"])[0].apply(to: setup.scenario)
            scenario = world.scenario
            demand = try NetworkDemand.simulated(setup: setup, world: world, days: days, seed: seed ?? setup.seed)
        } else {
            let path = orders ?? ScenarioLoader.defaultOrdersPath(scenarioFile: scenarioFile)
            let book = try OrderLoader.load(path: path, scenario: base)
            demand = NetworkDemand(books: [book], scenario: base, source: "\(path), delivery \(book.deliveryDate)")
        }
        let sites = try declarations.sites(for: scenario, selection: candidates.map { Self.list($0) },
                                           open: Self.list(forceOpen), close: Self.list(forceClose))
        let travel = try TravelTimes.choose(for: scenario, scenarioFile: scenarioFile)
        let model = try NetworkDesign.model(scenario: scenario, sites: sites, demand: demand, travel: travel,
                                            capacityBasis: capacityBasis ?? .peak)
        let result = try NetworkDesign.solve(model, options: NetworkDesignOptions(
            sourcing: splitDemand ? .split : .single, timeLimit: timeLimit, relativeGap: gap, log: solverLog))
        let report = NetworkDesignReport(result)
        try write(try report.json())
        print(report.summary())
        print("")
        print("wrote \(out)")
        if result.design.solution == nil {
            throw GeneralError(.planning, "\(scenarioFile): network design \(result.design.status.rawValue)")
        }
    }
}
