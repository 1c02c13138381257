import Foundation
import MediaGenCore

/// Verifies Skytells webhook deliveries, decodes them and calls the handlers registered for their
/// event — for any Swift server: hand it the raw body and the headers, send back what it answers.
///
/// ```swift
/// let listener = SkytellsWebhookListener(secret: ProcessInfo.processInfo.environment["SKYTELLS_API_KEY"] ?? "")
///     .on(.predictionSucceeded) { event in print("ready:", event.prediction.outputs.map(\.url)) }
///     .on(.predictionFailed) { event in print("failed:", event.prediction.id) }
///
/// // In the route handler, with the body exactly as received:
/// let reply = await listener.reply(body: requestBody, headers: requestHeaders)
/// print(reply.status)   // 200, or 401 for a forged delivery, 400 for a body that is no event
/// ```
///
/// A delivery is dispatched only after its signature verified (there is no switch to skip that).
/// Its handlers run in this order: those of ``SkytellsWebhookRoute/any``, of
/// ``SkytellsWebhookRoute/anyPrediction``, of the event's name (`prediction.succeeded`), of the
/// prediction's own status when it names another (`prediction.processing` inside an envelope), and
/// of the short name Skytells' TypeScript SDK routes by (`completed`, `failed`, `canceled`,
/// `started`); each route's handlers in the order they were added. A handler that throws stops the
/// dispatch and the error reaches ``handle(body:headers:)``'s caller (``reply(body:headers:)``
/// answers it with a 500).
///
/// With Vapor, Hummingbird or any other framework, read the body as bytes, copy the headers into
/// `HTTPHeaders`, and turn the ``SkytellsWebhookReply`` into the framework's response — the
/// *Music and video with Skytells* article shows both.
public struct SkytellsWebhookListener: Sendable {
    /// Handles one verified event.
    public typealias Handler = @Sendable (SkytellsWebhookEvent) async throws -> Void

    private let secret: String
    private var handlers: [(route: SkytellsWebhookRoute, handler: Handler)] = []

    /// A listener verifying with `secret`: your API key (Skytells' general signing) or the
    /// dashboard's webhook secret. A blank secret verifies nothing: every delivery is refused.
    public init(secret: String) {
        self.secret = secret
    }

    /// This listener, with `handler` added for `route`.
    ///
    /// ```swift
    /// let listener = SkytellsWebhookListener(secret: webhookSecret)
    ///     .on(.any) { event in print(event.type) }
    /// ```
    public func on(_ route: SkytellsWebhookRoute, _ handler: @escaping Handler) -> SkytellsWebhookListener {
        var copy = self
        copy.handlers.append((route, handler))
        return copy
    }

    /// Verifies the delivery, decodes it, runs its handlers and returns the event.
    ///
    /// ```swift
    /// let event = try await listener.handle(body: requestBody, headers: requestHeaders)
    /// ```
    ///
    /// Throws `.invalidSignature` for a delivery that does not verify and `.decoding` for a body
    /// that is no event — before any handler runs — or what a handler threw.
    @discardableResult
    public func handle(body: Data, headers: HTTPHeaders) async throws -> SkytellsWebhookEvent {
        let event = try SkytellsWebhook.event(body: body, headers: headers, secret: secret)
        let routes = Self.routes(for: event)
        for route in routes {
            for entry in handlers where entry.route == route {
                try await entry.handler(event)
            }
        }
        return event
    }

    /// Handles the delivery and says what to answer Skytells: 200 once the handlers ran, 401 for a
    /// delivery that did not verify, 400 for a body that is no event, 500 when a handler failed.
    ///
    /// ```swift
    /// let reply = await listener.reply(body: requestBody, headers: requestHeaders)
    /// print(reply.status, String(decoding: reply.body, as: UTF8.self))
    /// ```
    ///
    /// The body is a small JSON object (`{"ok": true}`, or `{"error": …}` with the error's short
    /// name); a handler's own error text is not sent back to the caller.
    public func reply(body: Data, headers: HTTPHeaders) async -> SkytellsWebhookReply {
        do {
            try await handle(body: body, headers: headers)
            return SkytellsWebhookReply(status: 200, body: Data(#"{"ok": true}"#.utf8))
        } catch let error as MediaGenError where error.kind == .invalidSignature {
            return SkytellsWebhookReply(status: 401, body: Data(#"{"error": "invalid signature"}"#.utf8))
        } catch let error as MediaGenError where error.provider == .skytells && Self.isDecoding(error) {
            return SkytellsWebhookReply(status: 400, body: Data(#"{"error": "not a Skytells event"}"#.utf8))
        } catch {
            return SkytellsWebhookReply(status: 500, body: Data(#"{"error": "the handler failed"}"#.utf8))
        }
    }

    /// The routes a delivery is dispatched to, in order, each once.
    static func routes(for event: SkytellsWebhookEvent) -> [SkytellsWebhookRoute] {
        let status = event.prediction.rawStatus.lowercased()
        var routes: [SkytellsWebhookRoute] = [.any, .anyPrediction, SkytellsWebhookRoute(rawValue: event.type)]
        routes.append(SkytellsWebhookRoute(rawValue: "prediction.\(status)"))
        switch status {
        case "succeeded": routes.append(.completed)
        case "failed": routes.append(.failed)
        case "cancelled", "canceled": routes.append(.canceled)
        case "started", "starting": routes.append(.started)
        default: break
        }
        var seen: Set<SkytellsWebhookRoute> = []
        return routes.filter { seen.insert($0).inserted }
    }

    private static func isDecoding(_ error: MediaGenError) -> Bool {
        if case .decoding = error.kind { return true }
        return false
    }
}

/// What a ``SkytellsWebhookListener`` says to answer a delivery with.
///
/// ```swift
/// let reply = SkytellsWebhookReply(status: 200, body: Data(#"{"ok": true}"#.utf8))
/// print(reply.contentType)   // application/json
/// ```
public struct SkytellsWebhookReply: Hashable, Sendable {
    /// The HTTP status to answer with.
    public var status: Int
    /// A small JSON body.
    public var body: Data
    /// Always `application/json`.
    public var contentType: String { "application/json" }

    public init(status: Int, body: Data) {
        self.status = status
        self.body = body
    }
}

/// The name a ``SkytellsWebhookListener`` handler listens to: an event of Skytells' API reference
/// (`prediction.succeeded`), `prediction.` and any status, every prediction event, every event,
/// or the short names of Skytells' TypeScript SDK.
///
/// ```swift
/// let routes: [SkytellsWebhookRoute] = [.predictionSucceeded, "prediction.processing", .any]
/// print(routes.map(\.rawValue))   // ["prediction.succeeded", "prediction.processing", "*"]
/// ```
public struct SkytellsWebhookRoute: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Every delivery.
    public static let any = SkytellsWebhookRoute(rawValue: "*")
    /// Every prediction event.
    public static let anyPrediction = SkytellsWebhookRoute(rawValue: "prediction.*")

    /// The prediction began processing.
    public static let predictionStarted = SkytellsWebhookRoute(rawValue: "prediction.started")
    /// The prediction completed; its outputs are ready.
    public static let predictionSucceeded = SkytellsWebhookRoute(rawValue: "prediction.succeeded")
    /// The prediction failed; its `error` says why.
    public static let predictionFailed = SkytellsWebhookRoute(rawValue: "prediction.failed")
    /// The prediction was cancelled.
    public static let predictionCancelled = SkytellsWebhookRoute(rawValue: "prediction.cancelled")

    /// The TypeScript SDK's short name for a succeeded prediction.
    public static let completed = SkytellsWebhookRoute(rawValue: "completed")
    /// The TypeScript SDK's short name for a failed prediction.
    public static let failed = SkytellsWebhookRoute(rawValue: "failed")
    /// The TypeScript SDK's short name for a cancelled prediction.
    public static let canceled = SkytellsWebhookRoute(rawValue: "canceled")
    /// The TypeScript SDK's short name for a started (or starting) prediction.
    public static let started = SkytellsWebhookRoute(rawValue: "started")
}
