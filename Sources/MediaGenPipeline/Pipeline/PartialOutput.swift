import Foundation
import MediaGenCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A merge's output written beside its destination under a temporary name and renamed into place
/// only when complete, so a failed or cancelled merge — native or ffmpeg — never leaves a
/// half-written file:
///
/// ```swift
/// let partial = try PartialOutput(for: output)
/// defer { partial.discard() }
/// try write(to: partial.file)
/// try partial.commit()
/// ```
struct PartialOutput {
    let output: URL
    /// Where to write; it keeps the output's extension last, since ffmpeg picks the container by it.
    let file: URL

    /// Creates the output's folder and names the temporary file beside it.
    init(for output: URL) throws(MediaGenError) {
        let directory = output.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotWrite(output, reason: error.localizedDescription)
        }
        let ext = output.pathExtension.isEmpty ? "mp4" : output.pathExtension
        self.output = output
        self.file = directory.appendingPathComponent(
            ".\(output.deletingPathExtension().lastPathComponent).\(UUID().uuidString).partial.\(ext)")
    }

    /// Puts the finished file in place in one step (rename(2)), replacing an existing one.
    func commit() throws(MediaGenError) {
        guard rename(file.path, output.path) == 0 else {
            throw .cannotWrite(output, reason: String(cString: strerror(errno)))
        }
    }

    /// Removes the temporary file, if it is still there.
    func discard() {
        try? FileManager.default.removeItem(at: file)
    }
}
