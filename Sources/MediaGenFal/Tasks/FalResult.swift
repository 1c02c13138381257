import MediaGenCore

/// A completed request's output, typed by its app.
///
/// ```swift
/// let result = try await fal.run(.beatovenMusicGeneration, input: BeatovenInput(prompt: "jazz"))
/// print(result.requestID)          // quote it to fal's support
/// print(result.data.audio.url)     // BeatovenOutput
/// ```
public struct FalResult<Output: Sendable>: Sendable {
    /// fal's `request_id`.
    public let requestID: String
    /// The app's output.
    public let data: Output

    /// A result; made by ``FalClient`` when a request's output is fetched.
    ///
    /// ```swift
    /// let result = FalResult(requestID: "764cabcf-b745-4b3e-ae38-1200304cf45b", data: output)
    /// ```
    public init(requestID: String, data: Output) {
        self.requestID = requestID
        self.data = data
    }
}

extension FalResult: Equatable where Output: Equatable {}
extension FalResult: Hashable where Output: Hashable {}

/// What fal answered to a cancel: the four documented outcomes, and any other it may add.
///
/// ```swift
/// switch try await fal.cancelRequest(handle) {
/// case .cancellationRequested, .ok: print("stopping")
/// case .alreadyCompleted: print("too late: fetch the result")
/// case .notFound: print("no such request")
/// default: print("fal said something new")
/// }
/// ```
public struct FalCancellation: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    /// An outcome by its wire value.
    ///
    /// ```swift
    /// FalCancellation(rawValue: "ALREADY_COMPLETED") == .alreadyCompleted  // true
    /// ```
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The request was canceled.
    public static let ok = FalCancellation(rawValue: "OK")
    /// fal will stop the request (a running one may still finish).
    public static let cancellationRequested = FalCancellation(rawValue: "CANCELLATION_REQUESTED")
    /// The request had already finished; its result stands.
    public static let alreadyCompleted = FalCancellation(rawValue: "ALREADY_COMPLETED")
    /// fal knows no such request under that app.
    public static let notFound = FalCancellation(rawValue: "NOT_FOUND")

    public var description: String { rawValue }
}
