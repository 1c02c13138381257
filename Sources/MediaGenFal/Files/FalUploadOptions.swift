import Foundation
import MediaGenCore

/// Where an upload to fal's storage goes.
///
/// ```swift
/// var options = FalUploadOptions()
/// options.repositories = [.gcs]  // skip the CDN
/// ```
public enum FalStorageRepository: String, Hashable, Sendable, Codable, CaseIterable {
    /// fal's v3 CDN, through a short-lived upload token: the official clients' default, and the
    /// only one with multipart uploads (fal's Python client calls it `fal_v3`).
    case cdn = "fal_v3"
    /// fal's REST storage: `storage/upload/initiate` answers a signed Google Cloud Storage URL the
    /// file is `PUT` to in one request (the Python client's `fal`, its fallback).
    case gcs = "fal"
}

/// How ``FalClient/upload(_:options:progress:)`` uploads: where to, for how long fal keeps the
/// file, and when and how to split it into parts.
///
/// ```swift
/// var options = FalUploadOptions()
/// options.expiresAfter = .seconds(24 * 60 * 60)  // fal deletes it after a day
/// options.concurrentParts = 4                    // more parts in flight on a fast link
/// let url = try await fal.upload(.file(URL(fileURLWithPath: "take.mov")), options: options)
/// ```
///
/// The defaults are the official clients': the CDN first and GCS if it fails, multipart above
/// 100 MiB in 10 MiB parts. A part of a file is copied to a temporary file and streamed from
/// there, so memory stays flat whatever the file's size, and the temporary directory holds
/// `partSize × concurrentParts` at most. fal's Python client sends ten parts at once; two are
/// the default here, as fast on the links we measured and gentler on a small machine.
public struct FalUploadOptions: Hashable, Sendable {
    /// The repositories to try, in order: the next is tried when one fails (not when the file
    /// or these options are at fault). Repeats are ignored.
    public var repositories: [FalStorageRepository]
    /// How long fal keeps the file before deleting it (whole seconds, at least one); `nil` leaves
    /// it to fal. Sent as `X-Fal-Object-Lifecycle` `{"expiration_duration_seconds": …}`.
    public var expiresAfter: Duration?
    /// Files larger than this go to the CDN in parts (100 MiB, as fal's Python client).
    public var multipartThreshold: Int64
    /// The size of each part but the last (10 MiB, as both official clients), 1 MiB to 512 MiB.
    public var partSize: Int64
    /// How many parts are sent at once, 1 to 16.
    public var concurrentParts: Int

    /// The official clients' defaults.
    ///
    /// ```swift
    /// let options = FalUploadOptions(repositories: [.cdn], expiresAfter: .seconds(3600))
    /// ```
    public init(
        repositories: [FalStorageRepository] = [.cdn, .gcs],
        expiresAfter: Duration? = nil,
        multipartThreshold: Int64 = 100 << 20,
        partSize: Int64 = 10 << 20,
        concurrentParts: Int = 2
    ) {
        self.repositories = repositories
        self.expiresAfter = expiresAfter
        self.multipartThreshold = multipartThreshold
        self.partSize = partSize
        self.concurrentParts = concurrentParts
    }

    static let partSizes: ClosedRange<Int64> = (1 << 20)...(512 << 20)
    static let concurrency: ClosedRange<Int> = 1...16

    /// The repositories in order, each once; every value checked before anything is sent.
    func checked() throws(MediaGenError) -> [FalStorageRepository] {
        var order: [FalStorageRepository] = []
        for repository in repositories where !order.contains(repository) { order.append(repository) }
        guard !order.isEmpty else {
            throw .invalidInput(
                "repositories", "name at least one repository, such as [.cdn, .gcs] (the default)", provider: .fal)
        }
        guard Self.partSizes.contains(partSize) else {
            throw .invalidInput(
                "partSize", "a part must be 1 MiB to 512 MiB (fal's clients use 10 MiB); got \(partSize) bytes",
                provider: .fal)
        }
        guard Self.concurrency.contains(concurrentParts) else {
            throw .invalidInput(
                "concurrentParts", "send 1 to 16 parts at once; got \(concurrentParts)", provider: .fal)
        }
        guard multipartThreshold >= 0 else {
            throw .invalidInput(
                "multipartThreshold", "the threshold is a size in bytes, 0 or more; got \(multipartThreshold)",
                provider: .fal)
        }
        _ = try lifecycleHeader()
        return order
    }

    /// `{"expiration_duration_seconds": N}` as the lifecycle headers carry it; `nil` without
    /// ``expiresAfter``.
    func lifecycleHeader() throws(MediaGenError) -> String? {
        guard let expiresAfter else { return nil }
        let (seconds, attoseconds) = expiresAfter.components
        guard seconds >= 1, attoseconds == 0 else {
            throw .invalidInput(
                "expiresAfter", "fal keeps files for whole seconds, at least one; got \(expiresAfter)",
                provider: .fal)
        }
        return "{\"expiration_duration_seconds\":\(seconds)}"
    }
}
