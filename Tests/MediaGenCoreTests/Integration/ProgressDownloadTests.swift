import EmulatorSupport
import Foundation
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

/// `URLSessionTransport.download` with a progress handler, which on Linux streams a data task
/// into the file itself (`StreamedDownload`), against the emulator's media routes.
@Suite(
    "Downloads with progress over real HTTP",
    .enabled(if: Emulator.isAvailable, Comment(rawValue: Emulator.skipReason)),
    .timeLimit(.minutes(5))
)
struct ProgressDownloadTests {
    /// A fresh directory for one test's files, removed afterwards.
    final class Scratch: Sendable {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("progress-\(UUID().uuidString)")

        init() throws {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func file(_ name: String) -> URL { directory.appendingPathComponent(name) }
    }

    static func blob(_ emulator: Emulator, bytes: Int) -> URL {
        URL(string: "\(emulator.origin.absoluteString)/media/blob.bin?bytes=\(bytes)") ?? emulator.origin
    }

    /// Byte `i` of the emulator's blob.
    static func blobByte(_ i: Int) -> UInt8 { UInt8((i ^ i >> 8 ^ i >> 16 ^ i >> 24) & 0xFF) }

    @Test func progressCountsEveryByteAndTheFileIsWhole() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let size = 3 << 20
            let file = scratch.file("blob.bin")
            let updates = Locked<[TransferProgress]>([])
            let response = try await URLSessionTransport().download(
                HTTPRequest(method: .get, url: Self.blob(emulator, bytes: size)), to: file
            ) { update in updates.withLock { $0.append(update) } }

            #expect(response.status == 200)
            #expect(response.body.isEmpty)
            let received = updates.current.map(\.bytesTransferred)
            #expect(received.last == Int64(size))
            #expect(zip(received, received.dropFirst()).allSatisfy { $0 <= $1 })
            #expect(updates.current.allSatisfy { $0.totalBytes == Int64(size) })

            let content = try Data(contentsOf: file)
            #expect(content.count == size)
            for offset in [0, 1, 65_535, 65_536, 1 << 20, size - 1] {
                #expect(content[offset] == Self.blobByte(offset), "byte \(offset)")
            }
        }
    }

    /// Downloads share the transport's download session and its bounded delegate queue: each
    /// chunk must reach its own file.
    @Test func concurrentDownloadsEachGetTheirOwnBytes() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let transport = URLSessionTransport()
            let sizes = [1 << 20, 3 << 20, 5 << 20, 2 << 20, 4 << 20, 6 << 20, 1_000_003, 7]
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, size) in sizes.enumerated() {
                    group.addTask {
                        let file = scratch.file("blob-\(index).bin")
                        let latest = Locked<Int64>(0)
                        let response = try await transport.download(
                            HTTPRequest(method: .get, url: Self.blob(emulator, bytes: size)), to: file
                        ) { update in latest.withLock { $0 = update.bytesTransferred } }
                        #expect(response.status == 200)
                        #expect(latest.current == Int64(size))
                        let content = try Data(contentsOf: file)
                        #expect(content.count == size)
                        for offset in [0, size / 2, size - 1] {
                            #expect(content[offset] == Self.blobByte(offset), "file \(index), byte \(offset)")
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test func anErrorAnswerComesBackWithItsBodyAndNoProgress() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let url = try #require(URL(string: "\(emulator.origin.absoluteString)/media/blob.bin?bytes=lots"))
            let updates = Locked(0)
            let response = try await URLSessionTransport().download(
                HTTPRequest(method: .get, url: url), to: scratch.file("blob.bin")
            ) { _ in updates.withLock { $0 += 1 } }

            #expect(response.status == 400)
            #expect(String(decoding: response.body, as: UTF8.self).contains("bad_request"))
            #expect(updates.current == 0)
        }
    }

    @Test func anEmptyBodyGivesAnEmptyFile() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let file = scratch.file("empty.bin")
            let response = try await URLSessionTransport().download(
                HTTPRequest(method: .get, url: Self.blob(emulator, bytes: 0)), to: file
            ) { _ in }
            #expect(response.status == 200)
            let size = try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber
            #expect(size?.intValue == 0)
        }
    }

    @Test func aBodyCutShortIsAnError() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            var request = HTTPRequest(method: .get, url: Self.blob(emulator, bytes: 1 << 20))
            request.headers["X-Emulator-Fault"] = "truncate"
            do {
                _ = try await URLSessionTransport().download(request, to: scratch.file("blob.bin")) { _ in }
                Issue.record("a truncated body was accepted")
            } catch let error as TransportError {
                #expect([.invalidResponse, .connectionLost, .other].contains(error.reason), "\(error)")
                #expect(error.description.contains("remaining") || error.description.contains("cut short"), "\(error)")
            }
        }
    }

    @Test func aFileThatCannotBeWrittenFailsTheDownload() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let file = scratch.file("missing-folder/blob.bin")
            do {
                _ = try await URLSessionTransport().download(
                    HTTPRequest(method: .get, url: Self.blob(emulator, bytes: 64 << 20)), to: file
                ) { _ in }
                Issue.record("the download succeeded without a place to write")
            } catch let error as TransportError {
                #expect(error.reason == .localFile)
                #expect(error.path == file.path)
                #expect(error.description.contains("cannot write"), "\(error)")
            }
        }
    }

    @Test func cancellingADownloadWithProgressStopsIt() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            let transport = URLSessionTransport()
            let request = HTTPRequest(method: .get, url: Self.blob(emulator, bytes: 256 << 20))
            let file = scratch.file("blob.bin")
            // Cancelled from the progress handler, at its first chunks: however busy the machine,
            // the download is then far from done.
            let call = Locked<Task<HTTPResponse, any Error>?>(nil)
            let updates = Locked(0)
            call.withLock { slot in
                slot = Task {
                    try await transport.download(request, to: file) { _ in
                        updates.withLock { $0 += 1 }
                        call.current?.cancel()
                    }
                }
            }
            let result = try await #require(call.current).result
            guard case .failure(let error) = result else {
                Issue.record("a cancelled download finished")
                return
            }
            #expect(error is CancellationError, "\(error)")
            #expect(updates.current >= 1)
        }
    }

    @Test func aRemoteFileCutShortIsDownloadedAgainWithProgress() async throws {
        try await Emulator.run { emulator in
            let scratch = try Scratch()
            try await emulator.injectFaults([FaultRule("truncate", provider: "media")])
            let size = 1 << 20
            let latest = Locked<Int64>(0)
            let saved = try await RemoteFile(url: Self.blob(emulator, bytes: size), byteCount: Int64(size)).download(
                to: scratch.file("blob.bin"),
                configuration: ClientConfiguration(transport: URLSessionTransport(), clock: ImmediateClock())
            ) { update in latest.withLock { $0 = update.bytesTransferred } }
            let size2 = try FileManager.default.attributesOfItem(atPath: saved.path)[.size] as? NSNumber
            #expect(size2?.intValue == size)
            #expect(latest.current == Int64(size))
        }
    }
}
