import Foundation
import MediaGenCore

extension Currency {
    /// The credits of BeatAPI's seed era, whose dollar rate was never published: amounts in them
    /// never convert to USD. BeatAPI now bills in US dollars (its published description: "1 Credit
    /// equals $1 USD"), so current answers decode in `.usd`; only a credit-era body (the seed's
    /// task, with no `credits_charged`) decodes in this currency.
    ///
    /// ```swift
    /// let usage = try await beatAPI.task(id: "task_8K2qA").usage
    /// if usage?.currency == .beatAPICredits { print("a credit-era answer: no dollar value") }
    /// ```
    public static let beatAPICredits = Currency.credits("BeatAPI credits", perUSD: nil)
}

/// BeatAPI's two launch workflows, priced in US dollars as BeatAPI's published description prices them.
///
/// ```swift
/// for workflow in BeatAPICatalog.models {
///     print(workflow.displayName, workflow.price.map(String.init(describing:)) ?? "price unknown")
/// }
/// // Music Video price unknown
/// // Ecommerce Video $0.30 per second
/// let budget = Budget(limit: .usd(20))   // counts ecommerce videos before they are sent
/// ```
///
/// **Where the prices come from.** BeatAPI bills in US dollars. An ecommerce video is billed by
/// its requested `duration`, and the description's example reserves $4.50 for 15 s: $0.30 a
/// second, the catalog's price. A music video is billed by the song's length as BeatAPI measures
/// it (or the request's `duration` when it cannot), at a rate that depends on the tier and that
/// the description does not state: its price stays `nil`, so a `Budget` refuses music videos
/// unless it allows unknown prices (`unknownPrices: .allow`), and ``BeatAPITask/usage`` reports
/// what each task really reserved, settled and refunded, in dollars. Composing storyboard shots
/// costs a fixed ``composeCharge``. The seed's figure, 450 credits reserved by one music video,
/// was in credits of unpublished worth and is no longer the estimate.
///
/// **Polling pace.** BeatAPI asks clients to poll every 5–10 s. Generation times are not
/// published; the typical latency listed here (1–4 minutes) is a planning figure chosen so that
/// the derived `PollingPolicy` never polls faster than BeatAPI asks: first poll after 36 s, then
/// every 12 s growing to 60 s, for up to 40 minutes. To poll at exactly the documented cadence,
/// pass ``BeatAPIClient/documentedPolling``.
public enum BeatAPICatalog {
    /// The music-video credits the seed's example reserved (720p), in credits of unpublished worth.
    @available(*, deprecated, message: "BeatAPI bills in US dollars; a music video's price is not published")
    public static let musicVideoExampleCredits = Money(450, .beatAPICredits)

    /// An ecommerce video's price per second of requested `duration`: the description's example
    /// reserves $4.50 for 15 s.
    public static let ecommerceVideoPerSecond = Money(Decimal(30) / 100, .usd)

    /// What composing a music video's selected storyboard shots costs: a fixed $1.
    public static let composeCharge = Money.usd(1)

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
            price: nil,
            typicalLatency: typicalLatency,
            summary:
                "A music video from a song and reference media, standard or premium tier; billed in USD by the song's measured length at an unpublished per-tier rate"
        ),
        ModelDescriptor(
            id: BeatAPIWorkflowID.ecommerceVideo.rawValue,
            provider: .beatAPI,
            displayName: "Ecommerce Video",
            kind: .productVideo,
            price: Price(ecommerceVideoPerSecond, per: .outputSecond),
            typicalLatency: typicalLatency,
            summary:
                "A product ad video from product images, a duration and a short brief; $0.30 per second of duration"
        ),
    ]

    /// The entry for `id`, or `nil` for a workflow the documents do not list.
    public static func descriptor(for id: BeatAPIWorkflowID) -> ModelDescriptor? {
        models.first { $0.id == id.rawValue }
    }
}
