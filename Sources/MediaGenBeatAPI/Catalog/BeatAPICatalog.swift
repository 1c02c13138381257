import Foundation
import MediaGenCore

extension Currency {
    /// BeatAPI's credits. BeatAPI publishes no dollar rate, so amounts in them never convert to
    /// USD: a `Budget` in dollars cannot count them (see ``BeatAPICatalog``).
    ///
    /// ```swift
    /// let budget = Budget(limit: Money(5_000, .beatAPICredits))   // counts BeatAPI creates
    /// let client = BeatAPIClient(configuration: .init(budget: budget))
    /// ```
    public static let beatAPICredits = Currency.credits("BeatAPI credits", perUSD: nil)
}

/// BeatAPI's two launch workflows, as BeatAPI's API reference and published description describe them.
///
/// ```swift
/// for workflow in BeatAPICatalog.models {
///     print(workflow.displayName, workflow.price.map(String.init(describing:)) ?? "price unknown")
/// }
/// // Music Video 450 BeatAPI credits per task
/// // Ecommerce Video price unknown
/// ```
///
/// **What the 450 credits are, and are not.** The API reference's only example of a music-video task
/// reserves 450 credits (`usage.credits_reserved`) for a 720p request. That figure is the catalog's
/// estimate, so that a budget in BeatAPI credits can count music videos before they are sent. It
/// is *not* a published price list: BeatAPI does not document how the reservation is computed
/// (it may depend on the song's length, the resolution or other options), what is finally settled
/// (`credits_settled`, which may differ, with the rest refunded), or what a credit costs in dollars.
/// Read ``BeatAPITask/usage`` for what a task really reserved and settled.
///
/// The ecommerce-video price is not documented at all and stays `nil`. With no dollar rate, a
/// `Budget` in USD refuses every BeatAPI create unless it allows unknown prices; a budget in
/// `Currency.beatAPICredits` counts music videos at 450 and refuses ecommerce videos
/// unless it allows unknown prices.
///
/// **Polling pace.** BeatAPI asks clients to poll every 5–10 s and allows 60 requests a minute.
/// Generation times are not published; the typical latency listed here (1–4 minutes) is a
/// planning figure chosen so that the derived `PollingPolicy` never polls faster than BeatAPI
/// asks: first poll after 36 s, then every 12 s growing to 60 s, for up to 40 minutes. To poll at exactly the
/// documented cadence, pass ``BeatAPIClient/documentedPolling``.
public enum BeatAPICatalog {
    /// The music-video credits the API reference's example reserved (720p).
    public static let musicVideoExampleCredits = Money(450, .beatAPICredits)

    /// The resolutions BeatAPI documents for video output.
    public static let resolutions: [BeatAPIResolution] = [.p540, .p720, .p1080]

    /// A planning figure, not a published one: see "Polling pace" above.
    public static let typicalLatency: ClosedRange<Duration> = .seconds(60)...(.seconds(240))

    public static let models: [ModelDescriptor] = [
        ModelDescriptor(
            id: BeatAPIWorkflowID.musicVideo.rawValue,
            provider: .beatAPI,
            displayName: "Music Video",
            kind: .musicVideo,
            price: Price(musicVideoExampleCredits, per: .task),
            typicalLatency: typicalLatency,
            summary:
                "A music video from reference images, a song, a prompt and an explicit language; 450 credits is the API reference example's reservation at 720p, not a price list"
        ),
        ModelDescriptor(
            id: BeatAPIWorkflowID.ecommerceVideo.rawValue,
            provider: .beatAPI,
            displayName: "Ecommerce Video",
            kind: .productVideo,
            price: nil,
            typicalLatency: typicalLatency,
            summary: "A product ad video from product images and a short brief; price not published"
        ),
    ]

    /// The entry for `id`, or `nil` for a workflow the documents do not list.
    public static func descriptor(for id: BeatAPIWorkflowID) -> ModelDescriptor? {
        models.first { $0.id == id.rawValue }
    }
}
