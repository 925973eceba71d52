import Foundation

/// The console's own files (HTML, CSS, JavaScript modules) and Debian's Leaflet, looked up on
/// disk. No file is embedded in the binary, so a page can be changed without a rebuild when
/// `LASTMILE_CONSOLE_DIR` points at the source folder.
public struct ConsoleAssets: Sendable {
    /// Folder holding index.html, style.css and js/.
    public let root: String
    /// Folder of Debian's libjs-leaflet (nil: not installed).
    public let leafletRoot: String?

    public init(root: String, leafletRoot: String?) {
        self.root = root
        self.leafletRoot = leafletRoot
    }

    /// Where Debian's `libjs-leaflet` puts Leaflet.
    public static let debianLeaflet = "/usr/share/javascript/leaflet"

    /// `LASTMILE_CONSOLE_DIR`, else the resource folder SwiftPM copies beside the executable,
    /// else the source folder this file was built from (a checkout running `swift run`).
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment,
                              executable: String = CommandLine.arguments.first ?? "") -> ConsoleAssets {
        var candidates: [String] = []
        if let dir = environment["LASTMILE_CONSOLE_DIR"], !dir.isEmpty { candidates.append(dir) }
        let exeDir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent().path
        candidates.append(exeDir + "/Lastmile_Console.resources/console")
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().path + "/Resources/console")
        let root = candidates.first { FileManager.default.fileExists(atPath: $0 + "/index.html") } ?? candidates[candidates.count - 1]
        let leafletDir = environment["LASTMILE_LEAFLET_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? debianLeaflet
        let leaflet = FileManager.default.fileExists(atPath: leafletDir + "/leaflet.js") ? leafletDir : nil
        return ConsoleAssets(root: root, leafletRoot: leaflet)
    }

    /// A file of the console by its path below the root ("index.html", "js/map.js"), or nil when
    /// there is none or the path could leave the folder.
    public func console(_ path: String) -> Asset? { Self.read(path, under: root) }

    /// A file of Leaflet ("leaflet.js", "images/marker-icon.png").
    public func leaflet(_ path: String) -> Asset? { leafletRoot.flatMap { Self.read(path, under: $0) } }

    public struct Asset: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
    }

    /// Only plain relative names: letters, digits, `.`, `-`, `_` and `/` between non-dot segments.
    static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, path.utf8.count <= 200 else { return false }
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/")
        guard path.allSatisfy(allowed.contains) else { return false }
        return path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && !$0.hasPrefix(".") }
    }

    static func read(_ path: String, under root: String) -> Asset? {
        guard isSafe(path) else { return nil }
        let full = root + "/" + path
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
              let data = FileManager.default.contents(atPath: full) else { return nil }
        return Asset(bytes: Array(data), contentType: contentType(path))
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "json": "application/json"
        case "png": "image/png"
        case "svg": "image/svg+xml"
        case "ico": "image/x-icon"
        default: "application/octet-stream"
        }
    }
}
