#if canImport(FoundationNetworking)
    import Foundation
    import FoundationNetworking
    @testable import MediaGenCore
    import Testing

    /// The Linux upload body on its own, read as URLSession reads it: in 64 KiB pieces after
    /// `open()`, until `hasBytesAvailable` is `false`.
    struct UploadBodyStreamTests {
        static func file(bytes: Int) throws -> URL {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("stream-\(UUID().uuidString)")
            try Data((0..<bytes).map { UInt8(truncatingIfNeeded: $0 &* 7) }).write(to: file)
            return file
        }

        /// Reads `stream` as `_BodyStreamSource` does; the bytes, and the last read's result.
        static func drain(_ stream: InputStream) -> (Data, Int) {
            stream.open()
            var bytes = Data()
            var piece = [UInt8](repeating: 0, count: 64 << 10)
            var last = 0
            while stream.hasBytesAvailable {
                last = stream.read(&piece, maxLength: piece.count)
                guard last > 0 else { break }
                bytes.append(contentsOf: piece[0..<last])
            }
            return (bytes, last)
        }

        @Test func aFileIsReadWholeAndReportedInStepsEndingAtItsSize() throws {
            let size = (5 << 20) + 3
            let file = try Self.file(bytes: size)
            defer { try? FileManager.default.removeItem(at: file) }
            let reports = Locked<[TransferProgress]>([])
            let stream = try UploadBodyStream(.file(file)) { progress in reports.withLock { $0.append(progress) } }
            #expect(stream.length == Int64(size))

            let (bytes, _) = Self.drain(stream)
            #expect(bytes == (try Data(contentsOf: file)))
            #expect(stream.streamStatus == .atEnd)
            // One report per 1 % (52 KiB here, so each 64 KiB piece), the last at the size.
            let sent = reports.current.map(\.bytesTransferred)
            #expect(sent.count == (size + (64 << 10) - 1) / (64 << 10))
            #expect(sent.last == Int64(size))
        }

        @Test func aLargeFileIsReportedOncePerMiB() throws {
            // 300 MiB of holes: nothing on disk, and read as zeros.
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("sparse-\(UUID().uuidString)")
            #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
            defer { try? FileManager.default.removeItem(at: file) }
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 300 << 20)
            try handle.close()
            let reports = Locked<[Int64]>([])
            let stream = try UploadBodyStream(.file(file)) { progress in
                reports.withLock { $0.append(progress.bytesTransferred) }
            }
            let (bytes, _) = Self.drain(stream)
            #expect(bytes.count == 300 << 20)
            #expect(reports.current == (1...300).map { Int64($0) << 20 })
        }

        @Test func bytesInMemoryAreReadWhole() throws {
            let data = Data((0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 13) }).dropFirst(17)
            let last = Locked<TransferProgress?>(nil)
            let stream = try UploadBodyStream(.data(data)) { progress in last.withLock { $0 = progress } }
            #expect(Self.drain(stream).0 == data)
            #expect(
                last.current == TransferProgress(bytesTransferred: Int64(data.count), totalBytes: Int64(data.count)))
        }

        @Test func aFileThatShrinksWhileSentFailsTheReadWithALocalFileError() throws {
            let file = try Self.file(bytes: 1 << 20)
            defer { try? FileManager.default.removeItem(at: file) }
            let stream = try UploadBodyStream(.file(file)) { _ in }
            let handle = try FileHandle(forWritingTo: file)
            try handle.truncate(atOffset: 100_000)
            try handle.close()

            let (bytes, last) = Self.drain(stream)
            #expect(bytes.count == 100_000)
            #expect(last == -1)
            #expect(stream.streamStatus == .error)
            #expect(stream.failure.current?.reason == .localFile)
            #expect(stream.failure.current?.path == file.path)
        }

        @Test func aDirectoryIsNoBody() throws {
            let error = #expect(throws: TransportError.self) {
                try UploadBodyStream(.file(FileManager.default.temporaryDirectory)) { _ in }
            }
            #expect(error?.reason == .localFile)
        }
    }
#endif
