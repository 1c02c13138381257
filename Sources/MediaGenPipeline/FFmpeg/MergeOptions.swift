/// How a video and a music track are combined (by ``MediaMerger`` or `FFmpeg.merge(video:audio:to:options:)`).
///
/// ```swift
/// var options = MergeOptions()      // the BeatFusion guide's: copy the video, stop at the shorter
/// options.merger = .native          // never ffmpeg (the default, .automatic, picks one)
/// options.loopAudio = true          // repeat a short track until the video ends
/// options.fadeOut = .seconds(2)     // fade the music out over the last two seconds
/// options.volume = 0.8              // a little quieter
/// ```
public struct MergeOptions: Hashable, Sendable {
    /// Which merger runs.
    ///
    /// ```swift
    /// let options = MergeOptions(merger: .ffmpeg)   // always ffmpeg, as before the native muxer
    /// ```
    public enum Merger: String, Hashable, Sendable, Codable, CaseIterable {
        /// The native muxer when it can remux both files and no filter is asked for, else ffmpeg.
        case automatic
        /// Only the native muxer: a merge it cannot do fails with a `MediaGenError` of kind `.cannotRemux`.
        case native
        /// Only ffmpeg (`-c:v copy -c:a aac -shortest`, and the filters asked for).
        case ffmpeg
    }

    /// Which merger runs; ``Merger-swift.enum/automatic`` by default.
    public var merger: Merger
    /// Repeat the audio so that it covers the whole video (the output then lasts as long as the video).
    public var loopAudio: Bool
    /// Fade the audio out over this long at the end of the output.
    public var fadeOut: Duration?
    /// Linear gain applied to the audio (1 = unchanged, 0.5 = about -6 dB).
    public var volume: Double?

    public init(loopAudio: Bool = false, fadeOut: Duration? = nil, volume: Double? = nil, merger: Merger = .automatic) {
        self.merger = merger
        self.loopAudio = loopAudio
        self.fadeOut = fadeOut
        self.volume = volume
    }
}
