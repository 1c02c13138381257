import Foundation
import Testing

/// `Scripts/doc-snippets.py`, which turns the docs' Swift blocks into the `MediaGenDocumentationSnippets`
/// target: the committed snippets match the markdown, and a broken block is caught.
@Suite struct DocumentationSnippetsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = packageRoot.appendingPathComponent("Scripts/doc-snippets.py")

    @Test func committedSnippetsMatchTheMarkdown() throws {
        let result = try run(["python3", Self.script.path, "--check"])
        #expect(result.status == 0, "\(result.output)")
    }

    @Test func aPlaceholderIsRefused() throws {
        let root = try temporaryPackage(readme: "```swift\nlet track = try await make(\"…\")\n```\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["python3", Self.script.path, "--root", root.path])
        #expect(result.status != 0)
        #expect(result.output.contains("README.md:2: a `…` placeholder"))
    }

    @Test func aSkipNeedsAReason() throws {
        let root = try temporaryPackage(readme: "<!-- snippet: skip -->\n```swift\n.package(path: \"..\")\n```\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try run(["python3", Self.script.path, "--root", root.path])
        #expect(result.status != 0)
        #expect(result.output.contains("needs a reason"))
    }

    @Test func anEditedDocIsOutOfDateUntilRegenerated() throws {
        let block = "```swift\nimport Foundation\n\nprint(URL(fileURLWithPath: \"a\"))\n```\n"
        let root = try temporaryPackage(readme: block)
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(try run(["python3", Self.script.path, "--root", root.path]).status == 0)
        #expect(try run(["python3", Self.script.path, "--root", root.path, "--check"]).status == 0)

        let readme = root.appendingPathComponent("README.md")
        try Data("```swift\nimport Foundation\n\nprint(URL(fileURLWithPath: \"b\"))\n```\n".utf8).write(to: readme)
        let stale = try run(["python3", Self.script.path, "--root", root.path, "--check"])
        #expect(stale.status != 0)
        #expect(stale.output.contains("out of date"))
    }

    /// What the build does with a block, on one generated file: a block that does not type-check fails.
    @Test func aBlockThatDoesNotCompileFailsTheBuild() throws {
        let good = try typecheck(block: "import Foundation\n\nlet file = URL(fileURLWithPath: \"outputs/\")")
        #expect(good.status == 0, "\(good.output)")
        let broken = try typecheck(block: "import Foundation\n\nlet file: URL = \"outputs/\"")
        #expect(broken.status != 0)
        #expect(broken.output.contains("error:"))
    }

    private func typecheck(block: String) throws -> (status: Int32, output: String) {
        let root = try temporaryPackage(readme: "```swift\n\(block)\n```\n")
        defer { try? FileManager.default.removeItem(at: root) }
        let generation = try run(["python3", Self.script.path, "--root", root.path])
        #expect(generation.status == 0, "\(generation.output)")
        let generated = root.appendingPathComponent("Tests/DocumentationSnippets/READMEBlock1.swift")
        return try run(["swiftc", "-typecheck", "-swift-version", "6", generated.path])
    }

    private func temporaryPackage(readme: String) throws -> URL {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("doc-snippets-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(readme.utf8).write(to: root.appendingPathComponent("README.md"))
        return root
    }

    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("doc-snippets-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }
}
