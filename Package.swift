// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "MediaGenKit",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "MediaGenCore", targets: ["MediaGenCore"]),
        .library(name: "MediaGenSkytells", targets: ["MediaGenSkytells"]),
        .library(name: "MediaGenBeatAPI", targets: ["MediaGenBeatAPI"]),
        .library(name: "MediaGenTesting", targets: ["MediaGenTesting"]),
    ],
    targets: [
        .target(name: "MediaGenCore"),
        .target(name: "MediaGenSkytells", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenBeatAPI", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenTesting", dependencies: ["MediaGenCore"]),
        .executableTarget(name: "Download", dependencies: ["MediaGenCore"], path: "Examples/Download"),
        .executableTarget(
            name: "SkytellsMusic",
            dependencies: ["MediaGenCore", "MediaGenSkytells"],
            path: "Examples/SkytellsMusic"
        ),
        .executableTarget(
            name: "BeatAPIMusicVideo",
            dependencies: ["MediaGenCore", "MediaGenBeatAPI"],
            path: "Examples/BeatAPIMusicVideo"
        ),
        // Starts the provider emulator for integration tests and benchmarks; never shipped.
        .target(name: "EmulatorSupport", dependencies: ["MediaGenCore"], path: "Tests/EmulatorSupport"),
        .testTarget(
            name: "MediaGenCoreTests",
            // `Download` is run as a separate process to measure a download's peak memory alone.
            dependencies: ["MediaGenCore", "MediaGenTesting", "EmulatorSupport", "Download"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenSkytellsTests",
            dependencies: ["MediaGenSkytells", "MediaGenCore", "MediaGenTesting", "EmulatorSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenBeatAPITests",
            dependencies: ["MediaGenBeatAPI", "MediaGenCore", "MediaGenTesting", "EmulatorSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenTestingTests",
            dependencies: ["MediaGenCore", "MediaGenTesting"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
