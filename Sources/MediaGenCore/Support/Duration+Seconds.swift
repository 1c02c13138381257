extension Duration {
    /// This duration in seconds, as a `Double` (for Foundation APIs that take `TimeInterval`).
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
