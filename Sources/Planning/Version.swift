/// The version of lastmile, in one place: `lastmile --version`, `lastmile version` and the
/// daemon's `GET /v1/health` all print this constant. Raise it with each release.
public enum LastmileVersion {
    public static let string = "0.2.0"
}
