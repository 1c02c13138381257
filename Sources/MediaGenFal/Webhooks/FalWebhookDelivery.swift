import Foundation
import MediaGenCore

/// What fal POSTs to a request's `fal_webhook` when the request ends:
/// `{"request_id", "gateway_request_id", "status": "OK" | "ERROR", "payload", "error"?, "payload_error"?}`.
///
/// ```swift
/// let delivery = try await verifier.event(body: body, headers: headers)
/// switch delivery.status {
/// case .succeeded:
///     let music = try delivery.payload(as: BeatovenOutput.self)
///     print(music.audio.url)
/// case .failed:
///     print("request \(delivery.requestID) failed:", delivery.status.failure?.message ?? "")
/// default: break
/// }
/// ```
///
/// On `OK`, `payload` is the app's output (the same as the request's result). On `ERROR`, `error`
/// says what happened and `payload` may hold fal's error body (`detail`, `error_type`).
/// `payload_error` is set when fal could not serialize the output; `payload` is then empty.
public struct FalWebhookDelivery: Hashable, Sendable, Decodable {
    /// The queue request the delivery reports on.
    public let requestID: String
    /// fal's gateway id for the same request.
    public let gatewayRequestID: String?
    /// `OK` or `ERROR`, as sent.
    public let rawStatus: String
    /// The app's output on `OK`; fal's error body, if any, on `ERROR`.
    public let payload: JSONValue?
    /// What went wrong, on `ERROR` (such as `Invalid status code: 500`).
    public let error: String?
    /// Why the output could not be delivered, when fal could not serialize it.
    public let payloadError: String?

    /// `.succeeded` for `OK` (the request succeeded on fal, even when the delivery carries no payload:
    /// then fetch its result), `.failed` for `ERROR` or a `payload_error` (`.canceled` for a canceled
    /// request).
    public var status: TaskStatus {
        if rawStatus.uppercased() == "OK" && payloadError == nil { return .succeeded }
        let errorType = payload?["error_type"]?.stringValue
        if errorType == "client_cancelled" { return .canceled }
        let message =
            error ?? payloadError ?? payload?["detail"]?.stringValue ?? "the request ended with \(rawStatus)"
        return .failed(TaskFailure(code: errorType, message: message))
    }

    /// The files in the payload: every object with a `url`.
    public var outputs: [RemoteFile] {
        status == .succeeded ? payload.map(FalFile.files(in:)) ?? [] : []
    }

    /// The payload decoded as an app's output type.
    ///
    /// ```swift
    /// let music = try delivery.payload(as: BeatovenOutput.self)
    /// ```
    public func payload<Output: Decodable>(as type: Output.Type) throws(MediaGenError) -> Output {
        guard let payload else {
            throw MediaGenError(
                .decoding(snippet: ""), provider: .fal,
                message: "the delivery carries no payload: fetch the request's result from fal instead",
                taskID: requestID)
        }
        do {
            return try payload.decode(as: Output.self)
        } catch {
            throw MediaGenError(
                .decoding(snippet: String(describing: payload).prefix(200).description), provider: .fal,
                message: "the payload is not \(Output.self): \(error)", taskID: requestID)
        }
    }

    private enum CodingKeys: String, CodingKey {
        case status, payload, error
        case requestID = "request_id"
        case gatewayRequestID = "gateway_request_id"
        case payloadError = "payload_error"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        requestID = try container.decode(String.self, forKey: .requestID)
        gatewayRequestID = try container.decodeIfPresent(String.self, forKey: .gatewayRequestID)
        let payload = try container.decodeIfPresent(JSONValue.self, forKey: .payload)
        self.payload = payload == .null ? nil : payload
        error = Self.text(try container.decodeIfPresent(JSONValue.self, forKey: .error))
        payloadError = Self.text(try container.decodeIfPresent(JSONValue.self, forKey: .payloadError))
        // The status is documented as always present; without one, an error decides.
        rawStatus = try container.decodeIfPresent(String.self, forKey: .status) ?? (error == nil ? "OK" : "ERROR")
    }

    private static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case nil, .null?: nil
        case let other?: other["message"]?.stringValue ?? other["detail"]?.stringValue ?? "\(other)"
        }
    }
}
