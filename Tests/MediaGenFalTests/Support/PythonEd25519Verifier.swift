import Foundation
import MediaGenCore

/// A TEST-ONLY `SignatureVerifier` that checks signatures with the emulator's own pure-Python
/// Ed25519 (`Tests/Emulator/emulation/ed25519.py`, checked there against RFC 8032 §7.1) in a
/// `python3` subprocess. It is an implementation independent of ours, so a delivery it accepts
/// proves our message construction and key handling, not merely agreement with ourselves.
///
/// The subprocess is run and awaited on a `Thread` of its own; callers that are themselves on
/// Swift's cooperative pool should call ``verifyOffPool(_:)`` so that no cooperative thread waits.
struct PythonEd25519Verifier: SignatureVerifier {
    static let emulatorDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Emulator")

    static let script = """
        import sys
        sys.path.insert(0, sys.argv[1])
        from emulation import ed25519
        public, message, signature = (bytes.fromhex(part) for part in sys.argv[2:5])
        if len(public) != 32:
            print("unusable key")
            sys.exit(2)
        print("valid" if ed25519.verify(public, message, signature) else "invalid")
        """

    /// Whether `python3` is on the `PATH`.
    static let isAvailable: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }
    }()

    /// Every message it was asked about, for assertions.
    let checked = Locked<[Data]>([])

    func isValidEd25519Signature(_ signature: Data, for message: Data, publicKey: Data) throws -> Bool {
        checked.withLock { $0.append(message) }
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", "-c", Self.script, Self.emulatorDirectory.path,
            publicKey.hex, message.hex, signature.hex,
        ]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        switch text.trimmingCharacters(in: .whitespacesAndNewlines) {
        case "valid": return true
        case "invalid": return false
        default: throw CocoaError(.featureUnsupported, userInfo: [NSLocalizedDescriptionKey: "python said \(text)"])
        }
    }

    /// Runs `body` (which calls this verifier, so blocks on a subprocess) on a new thread, never on
    /// one of Swift's cooperative threads.
    static func verifyOffPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.name = "python-ed25519"
            thread.start()
        }
    }
}

extension Data {
    fileprivate var hex: String { map { String(format: "%02x", $0) }.joined() }
}
