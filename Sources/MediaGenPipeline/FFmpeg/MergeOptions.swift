/// How `FFmpeg.merge(video:audio:to:options:)` combines a video and a music track.
///
/// ```swift
/// var options = MergeOptions()      // seed 000's defaults: copy the video, AAC audio, stop at the shorter
/// options.loopAudio = true          // repeat a short track until the video ends
/// options.fadeOut = .seconds(2)     // fade the music out over the last two seconds
/// options.volume = 0.8              // a little quieter
/// ```
public struct MergeOptions: Hashable, Sendable {
    /// Repeat the audio so that it covers the whole video (the output then lasts as long as the video).
    public var loopAudio: Bool
    /// Fade the audio out over this long at the end of the output.
    public var fadeOut: Duration?
    /// Linear gain applied to the audio (1 = unchanged, 0.5 = about -6 dB).
    public var volume: Double?

    public init(loopAudio: Bool = false, fadeOut: Duration? = nil, volume: Double? = nil) {
        self.loopAudio = loopAudio
        self.fadeOut = fadeOut
        self.volume = volume
    }
}
