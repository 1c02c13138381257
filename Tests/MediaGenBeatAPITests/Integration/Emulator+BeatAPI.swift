import EmulatorSupport
import Foundation
import MediaGenBeatAPI
import MediaGenCore
import MediaGenTesting

extension Emulator {
    /// A BeatAPI client of this emulator over real HTTP, with an instant clock for its waits.
    func beatAPI(
        clock: ImmediateClock = ImmediateClock(),
        timeout: Duration = .seconds(30),
        headers: HTTPHeaders = [:],
        allowedTestHosts: Set<String> = []
    ) -> BeatAPIClient {
        BeatAPIClient(
            apiKey: Emulator.beatAPIKey,
            configuration: ClientConfiguration(
                baseURL: beatAPIBaseURL,
                timeout: timeout,
                transport: URLSessionTransport(),
                clock: clock,
                // The emulator's control headers ride on every request; it reads them on creates.
                additionalHeaders: headers
            ),
            allowedTestHosts: allowedTestHosts
        )
    }
}

/// What the emulator bills, in US dollars as BeatAPI does.
enum EmulatorPrice {
    /// The seed's music video (90 s billed at 720p, standard quality): $4.50, the emulator's own
    /// rate since BeatAPI publishes none.
    static let musicVideo = Money(Decimal(450) / 100, .usd)
    /// The emulator's starting balance ($100,000) less one ``musicVideo``.
    static let balanceAfterOneMusicVideo = Money(Decimal(100_000 * 100 - 450) / 100, .usd)
}
