import Foundation
import MediaGenBeatAPI
import MediaGenBeatra
import MediaGenCore
import MediaGenFal
import MediaGenSkytells
import Testing

/// The verb × provider table of the *One vocabulary across providers* article, against the public
/// API: every name the table gives is in ``VocabularyTableTests/implemented`` and every name there
/// is in the table. Each entry carries a use of the name that must compile (the closures are
/// never run), so a rename that forgets the table, or a table that names what does not exist,
/// fails here.
@Suite struct VocabularyTableTests {
    static let article = DocumentationSnippetsTests.packageRoot
        .appendingPathComponent("Sources/MediaGenCore/MediaGenCore.docc/Articles/OneVocabulary.md")

    /// The four clients, for the compile-only uses below.
    struct Clients {
        let skytells = SkytellsClient(apiKey: "k", environment: [:])
        let fal = FalClient(apiKey: "k", environment: [:])
        let beatAPI = BeatAPIClient(apiKey: "k", environment: [:])
        let beatra = BeatraClient(apiKey: "k", environment: [:])
    }

    struct Name: Sendable, CustomStringConvertible {
        let verb: String
        let provider: String
        let name: String
        /// A use of `name`; compiling it is the check.
        let use: @Sendable (Clients) async throws -> Void

        init(
            _ verb: String, _ provider: String, _ name: String,
            _ use: @escaping @Sendable (Clients) async throws -> Void
        ) {
            self.verb = verb
            self.provider = provider
            self.name = name
            self.use = use
        }

        var description: String { "\(verb) / \(provider): \(name)" }
    }

    static let handle = TaskHandle(provider: .skytells, id: "t")
    static let music = MusicRequest(prompt: "jazz")
    static let beatovenInput = BeatovenInput(prompt: "jazz")
    static let musicVideo = MusicVideoInput(
        imageURLs: [URL(fileURLWithPath: "/a.png")], audioURL: URL(fileURLWithPath: "/a.mp3"), prompt: "p",
        language: .english)
    static let ecommerceVideo = EcommerceVideoInput(imageURLs: [URL(fileURLWithPath: "/a.png")])
    static let beatraRequest = BeatraMusicRequest(model: .suno55, prompt: "p")
    static let file = FileSource.data(Data(), fileName: "a.wav", contentType: "audio/wav")
    static let body = Data()
    static let headers: HTTPHeaders = [:]

    /// Every name of the table, by verb and provider.
    static let implemented: [Name] = [
        // create
        Name("create", "Skytells", "createPrediction(_:input:webhook:endpoint:)") {
            _ = try await $0.skytells.createPrediction(
                .beatFusion2, input: BeatFusionInput(prompt: "p"), webhook: nil, endpoint: .predictions)
        },
        Name("create", "fal", "createRequest(_:input:webhookURL:priority:startTimeout:runnerHint:)") {
            _ = try await $0.fal.createRequest(
                .beatovenMusicGeneration, input: beatovenInput, webhookURL: nil, priority: nil, startTimeout: nil,
                runnerHint: nil)
        },
        Name("create", "BeatAPI", "createTask(_:idempotencyKey:)") {
            _ = try await $0.beatAPI.createTask(musicVideo, idempotencyKey: nil)
            _ = try await $0.beatAPI.createTask(ecommerceVideo, idempotencyKey: nil)
        },
        Name("create", "Beatra", "createTask(_:referenceAudio:idempotencyKey:)") {
            _ = try await $0.beatra.createTask(beatraRequest, referenceAudio: nil, idempotencyKey: nil)
        },
        // get one
        Name("get one", "Skytells", "prediction(id:)") { _ = try await $0.skytells.prediction(id: "p") },
        Name("get one", "fal", "request(_:logs:)") { _ = try await $0.fal.request(handle, logs: true) },
        Name("get one", "BeatAPI", "task(id:)") { _ = try await $0.beatAPI.task(id: "t") },
        Name("get one", "Beatra", "task(id:)") { _ = try await $0.beatra.task(id: "t") },
        // list
        Name("list", "Skytells", "predictions(_:)") {
            for try await _: Prediction in $0.skytells.predictions(PredictionFilter()) {}
        },
        Name("list", "Skytells", "predictionPages(_:)") {
            for try await _: PredictionPage in $0.skytells.predictionPages(PredictionFilter()) {}
        },
        Name("list", "Skytells", "predictionPage(_:page:)") {
            _ = try await $0.skytells.predictionPage(PredictionFilter(), page: 1)
        },
        Name("list", "Beatra", "tasks(limit:)") { for try await _: BeatraTask in $0.beatra.tasks(limit: 1) {} },
        Name("list", "Beatra", "taskPages(limit:)") {
            for try await _: BeatraTaskPage in $0.beatra.taskPages(limit: 1) {}
        },
        Name("list", "Beatra", "taskPage(limit:after:)") { _ = try await $0.beatra.taskPage(limit: 1, after: nil) },
        // cancel
        Name("cancel", "Skytells", "cancelPrediction(id:)") {
            let _: Prediction = try await $0.skytells.cancelPrediction(id: "p")
        },
        Name("cancel", "fal", "cancelRequest(_:)") { let _: FalCancellation = try await $0.fal.cancelRequest(handle) },
        Name("cancel", "Beatra", "cancelTask(id:)") { let _: BeatraTask = try await $0.beatra.cancelTask(id: "t") },
        // run
        Name("run", "Skytells", "run(_:input:policy:onUpdate:)") {
            _ = try await $0.skytells.run(.beatFusion2, input: BeatFusionInput(prompt: "p"), policy: nil, onUpdate: nil)
        },
        Name("run", "fal", "run(_:input:logs:webhookURL:priority:startTimeout:policy:cancelsOnAbandon:onUpdate:)") {
            _ = try await $0.fal.run(
                .beatovenMusicGeneration, input: beatovenInput, logs: true, webhookURL: nil, priority: nil,
                startTimeout: nil, policy: nil, cancelsOnAbandon: true, onUpdate: nil)
        },
        Name("run", "BeatAPI", "run(_:policy:onUpdate:)") {
            _ = try await $0.beatAPI.run(musicVideo, policy: nil, onUpdate: nil)
            _ = try await $0.beatAPI.run(ecommerceVideo, policy: nil, onUpdate: nil)
        },
        Name("run", "Beatra", "run(_:referenceAudio:policy:rerunsOfRetryableFailures:onUpdate:)") {
            _ = try await $0.beatra.run(
                beatraRequest, referenceAudio: nil, policy: nil, rerunsOfRetryableFailures: 0, onUpdate: nil)
        },
        // follow and wait: the shared protocol's, on every client.
        Name("follow", "Skytells", "updates(of:policy:)") { _ = $0.skytells.updates(of: handle, policy: nil) },
        Name("follow", "fal", "updates(of:policy:)") { _ = $0.fal.updates(of: handle, policy: nil) },
        Name("follow", "BeatAPI", "updates(of:policy:)") { _ = $0.beatAPI.updates(of: handle, policy: nil) },
        Name("follow", "Beatra", "updates(of:policy:)") { _ = $0.beatra.updates(of: handle, policy: nil) },
        Name("wait for many", "Skytells", "completions(of:policy:maxConcurrentPolls:)") {
            for await _ in try $0.skytells.completions(of: [handle], policy: nil, maxConcurrentPolls: 1) {}
        },
        Name("wait for many", "fal", "completions(of:policy:maxConcurrentPolls:)") {
            for await _ in try $0.fal.completions(of: [handle], policy: nil, maxConcurrentPolls: 1) {}
        },
        Name("wait for many", "BeatAPI", "completions(of:policy:maxConcurrentPolls:)") {
            for await _ in try $0.beatAPI.completions(of: [handle], policy: nil, maxConcurrentPolls: 1) {}
        },
        Name("wait for many", "Beatra", "completions(of:policy:maxConcurrentPolls:)") {
            for await _ in try $0.beatra.completions(of: [handle], policy: nil, maxConcurrentPolls: 1) {}
        },
        Name("wait", "Skytells", "wait(for:policy:onUpdate:)") {
            _ = try await $0.skytells.wait(for: handle, policy: nil, onUpdate: nil)
        },
        Name("wait", "fal", "wait(for:policy:onUpdate:)") {
            _ = try await $0.fal.wait(for: handle, policy: nil, onUpdate: nil)
        },
        Name("wait", "fal", "wait(for:app:logs:policy:cancelsOnAbandon:onUpdate:)") { clients in
            let request = try await clients.fal.request(handle)
            _ = try await clients.fal.wait(
                for: request, app: .beatovenMusicGeneration, logs: true, policy: nil, cancelsOnAbandon: true,
                onUpdate: nil)
        },
        Name("wait", "BeatAPI", "wait(for:policy:onUpdate:)") {
            _ = try await $0.beatAPI.wait(for: handle, policy: nil, onUpdate: nil)
        },
        Name("wait", "Beatra", "wait(for:policy:onUpdate:)") {
            _ = try await $0.beatra.wait(for: handle, policy: nil, onUpdate: nil)
        },
        // upload
        Name("upload", "fal", "upload(_:options:progress:)") {
            let _: URL = try await $0.fal.upload(file, options: FalUploadOptions(), progress: nil)
        },
        Name("upload", "BeatAPI", "upload(_:progress:)") {
            let _: BeatAPIFile = try await $0.beatAPI.upload(file, progress: nil)
        },
        Name("upload", "Beatra", "upload(_:idempotencyKey:progress:)") {
            let _: BeatraArtifact = try await $0.beatra.upload(file, idempotencyKey: nil, progress: nil)
        },
        // webhooks
        Name("verify a webhook", "Skytells", "SkytellsWebhook.verify(body:headers:secret:)") { _ in
            try SkytellsWebhook.verify(body: body, headers: headers, secret: "s")
        },
        Name(
            "verify a webhook", "fal",
            "FalWebhook.verify(body:headers:keys:verifier:expectedRequestID:expectedUserID:tolerance:now:)"
        ) { _ in
            try FalWebhook.verify(
                body: body, headers: headers, keys: FalJSONWebKeySet(keys: []), verifier: nil, expectedRequestID: nil,
                expectedUserID: nil, tolerance: .seconds(300), now: Date())
        },
        Name("verify a webhook", "fal", "FalWebhookVerifier.verify(body:headers:expectedRequestID:now:)") { clients in
            try await FalWebhookVerifier(client: clients.fal).verify(
                body: body, headers: headers, expectedRequestID: nil, now: Date())
        },
        Name("verify a webhook", "BeatAPI", "BeatAPIWebhook.verify(body:headers:secret:tolerance:now:)") { _ in
            try BeatAPIWebhook.verify(
                body: body, headers: headers, secret: BeatAPIWebhookSecret("whsec_s"), tolerance: .seconds(300),
                now: Date())
        },
        Name("webhook event", "Skytells", "SkytellsWebhook.event(body:headers:secret:)") { _ in
            let _: SkytellsWebhookEvent = try SkytellsWebhook.event(body: body, headers: headers, secret: "s")
        },
        Name(
            "webhook event", "fal",
            "FalWebhook.event(body:headers:keys:verifier:expectedRequestID:expectedUserID:tolerance:now:)"
        ) { _ in
            let _: FalWebhookDelivery = try FalWebhook.event(
                body: body, headers: headers, keys: FalJSONWebKeySet(keys: []), verifier: nil, expectedRequestID: nil,
                expectedUserID: nil, tolerance: .seconds(300), now: Date())
        },
        Name("webhook event", "fal", "FalWebhookVerifier.event(body:headers:expectedRequestID:now:)") { clients in
            let _: FalWebhookDelivery = try await FalWebhookVerifier(client: clients.fal).event(
                body: body, headers: headers, expectedRequestID: nil, now: Date())
        },
        Name("webhook event", "BeatAPI", "BeatAPIWebhook.event(body:headers:secret:tolerance:now:)") { _ in
            let _: BeatAPIWebhookEvent = try BeatAPIWebhook.event(
                body: body, headers: headers, secret: BeatAPIWebhookSecret("whsec_s"), tolerance: .seconds(300),
                now: Date())
        },
        // estimate cost
        Name("estimate cost", "Skytells", "estimateCost(of:)") {
            let _: Money? = try $0.skytells.estimateCost(of: music)
        },
        Name("estimate cost", "fal", "estimateCost(of:)") { let _: Money? = try $0.fal.estimateCost(of: music) },
        Name("estimate cost", "BeatAPI", "estimateCost(of:)") {
            let _: Money? = $0.beatAPI.estimateCost(of: musicVideo)
        },
        Name("estimate cost", "Beatra", "estimateCost(of:)") {
            let _: Money? = $0.beatra.estimateCost(of: beatraRequest)
        },
        // initializer
        Name("initializer", "Skytells", "init(apiKey:baseURL:configuration:environment:)") { _ in
            _ = SkytellsClient(apiKey: nil, baseURL: nil, configuration: ClientConfiguration(), environment: [:])
        },
        Name("initializer", "fal", "init(apiKey:queueURL:restURL:configuration:environment:)") { _ in
            _ = FalClient(
                apiKey: nil, queueURL: nil, restURL: nil, configuration: ClientConfiguration(), environment: [:])
        },
        Name("initializer", "BeatAPI", "init(apiKey:baseURL:configuration:environment:allowedTestHosts:)") { _ in
            _ = BeatAPIClient(
                apiKey: nil, baseURL: nil, configuration: ClientConfiguration(), environment: [:], allowedTestHosts: [])
        },
        Name("initializer", "Beatra", "init(apiKey:baseURL:configuration:environment:)") { _ in
            _ = BeatraClient(apiKey: nil, baseURL: nil, configuration: ClientConfiguration(), environment: [:])
        },
    ]

    /// The table's cells: verb → provider → the names written there (`—` gives none).
    static func table() throws -> [String: [String: [String]]] {
        let text = try String(contentsOf: article, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let heading = lines.firstIndex(of: "### Verb × provider") else { return [:] }
        let rows = lines[heading...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        func cells(_ row: String) -> [String] {
            row.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
        }
        guard let header = rows.first else { return [:] }
        // "Skytells (prediction)" → "Skytells"
        let providers = cells(header).dropFirst().map { String($0.split(separator: " ").first ?? "") }
        var table: [String: [String: [String]]] = [:]
        for row in rows.dropFirst(2) {
            let columns = cells(row)
            guard let verb = columns.first else { continue }
            for (provider, cell) in zip(providers, columns.dropFirst()) {
                table[verb, default: [:]][provider] = Self.names(in: cell)
            }
        }
        return table
    }

    /// The backquoted names of a cell.
    static func names(in cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
            .filter { $0.offset % 2 == 1 }.map { String($0.element) }
    }

    /// Whether a name written in the table stands for `full`: the same, or, written `name(a:…)`,
    /// its start before the `…`.
    static func matches(_ written: String, _ full: String) -> Bool {
        guard let ellipsis = written.firstIndex(of: "…") else { return written == full }
        return written[ellipsis...] == "…)" && full.hasPrefix(written[..<ellipsis])
    }

    @Test func everyNameInTheTableExists() throws {
        let table = try Self.table()
        #expect(table.count == 13, "the table's verbs: \(table.keys.sorted())")
        for (verb, row) in table {
            #expect(row.count == 4, "\(verb): \(row.keys.sorted())")
            for (provider, written) in row {
                let known = Self.implemented.filter { $0.verb == verb && $0.provider == provider }.map(\.name)
                for name in written {
                    #expect(
                        known.filter { Self.matches(name, $0) }.count == 1,
                        "\(verb) / \(provider): the table names `\(name)`; the clients have \(known)")
                }
            }
        }
    }

    @Test(arguments: implemented)
    func everyVerbIsInTheTable(_ entry: Name) throws {
        let written = try Self.table()[entry.verb]?[entry.provider] ?? []
        #expect(
            written.contains { Self.matches($0, entry.name) },
            "\(entry) is missing from the table (it has \(written))")
    }
}
