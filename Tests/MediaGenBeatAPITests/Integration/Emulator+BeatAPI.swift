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
