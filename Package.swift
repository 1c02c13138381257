// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "MediaGenKit",
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "MediaGenCore", targets: ["MediaGenCore"]),
        .library(name: "MediaGenSkytells", targets: ["MediaGenSkytells"]),
        .library(name: "MediaGenFal", targets: ["MediaGenFal"]),
        .library(name: "MediaGenBeatAPI", targets: ["MediaGenBeatAPI"]),
        .library(name: "MediaGenBeatra", targets: ["MediaGenBeatra"]),
        .library(name: "MediaGenPipeline", targets: ["MediaGenPipeline"]),
        .library(name: "MediaGenTesting", targets: ["MediaGenTesting"]),
    ],
    targets: [
        .target(name: "MediaGenCore"),
        .target(name: "MediaGenSkytells", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenFal", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenBeatAPI", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenBeatra", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenPipeline", dependencies: ["MediaGenCore"]),
        .target(name: "MediaGenTesting", dependencies: ["MediaGenCore"]),
        .executableTarget(
            name: "Demo",
            dependencies: ["MediaGenCore", "MediaGenSkytells", "MediaGenPipeline", "MediaGenTesting"],
            path: "Examples/Demo",
            resources: [.copy("Cassettes")]
        ),
        .executableTarget(name: "Download", dependencies: ["MediaGenCore"], path: "Examples/Download"),
        .executableTarget(name: "Upload", dependencies: ["MediaGenCore", "MediaGenFal"], path: "Examples/Upload"),
        .executableTarget(
            name: "SkytellsMusic",
            dependencies: ["MediaGenCore", "MediaGenSkytells"],
            path: "Examples/SkytellsMusic"
        ),
        .executableTarget(
            name: "BeatraMusic",
            dependencies: ["MediaGenCore", "MediaGenBeatra"],
            path: "Examples/BeatraMusic"
        ),
        .executableTarget(
            name: "FalMusic",
            dependencies: ["MediaGenCore", "MediaGenFal"],
            path: "Examples/FalMusic"
        ),
        .executableTarget(
            name: "BeatAPIMusicVideo",
            dependencies: ["MediaGenCore", "MediaGenBeatAPI"],
            path: "Examples/BeatAPIMusicVideo"
        ),
        .executableTarget(
            name: "Benchmarks",
            dependencies: [
                "MediaGenCore", "MediaGenSkytells", "MediaGenFal", "MediaGenBeatAPI", "MediaGenBeatra",
                "MediaGenPipeline", "EmulatorSupport",
            ],
            path: "Benchmarks"
        ),
        // Starts the provider emulator for integration tests and benchmarks; never shipped.
        .target(name: "EmulatorSupport", dependencies: ["MediaGenCore"], path: "Tests/EmulatorSupport"),
        // Helpers every test target shares (error capture, decoder-fuzzing tallies); never shipped.
        .target(name: "TestSupport", dependencies: ["MediaGenCore", "MediaGenTesting"], path: "Tests/TestSupport"),
        .testTarget(
            name: "MediaGenCoreTests",
            // `Download` is run as a separate process to measure a download's peak memory alone.
            dependencies: ["MediaGenCore", "MediaGenTesting", "EmulatorSupport", "TestSupport", "Download"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenSkytellsTests",
            dependencies: ["MediaGenSkytells", "MediaGenCore", "MediaGenTesting", "EmulatorSupport", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenBeatraTests",
            dependencies: ["MediaGenBeatra", "MediaGenCore", "MediaGenTesting", "EmulatorSupport", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenPipelineTests",
            // `Demo` is run as the README runs it.
            dependencies: [
                "MediaGenPipeline", "MediaGenSkytells", "MediaGenCore", "MediaGenTesting", "EmulatorSupport", "Demo",
            ],
            // Tiny MP4, M4A and MP3 files for the native muxer's tests without ffmpeg (Fixtures/SOURCES.md).
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenFalTests",
            // `Upload` is run as a separate process to measure an upload's peak memory alone.
            dependencies: [
                "MediaGenFal", "MediaGenCore", "MediaGenTesting", "EmulatorSupport", "TestSupport", "Upload",
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenBeatAPITests",
            dependencies: ["MediaGenBeatAPI", "MediaGenCore", "MediaGenTesting", "EmulatorSupport", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "MediaGenReliabilityTests",
            dependencies: [
                "MediaGenSkytells", "MediaGenFal", "MediaGenBeatAPI", "MediaGenBeatra", "MediaGenCore",
                "MediaGenTesting", "EmulatorSupport",
            ]
        ),
        // Every ```swift block of README.md, Documentation/ and the DocC catalogs, generated by
        // Scripts/doc-snippets.py: built with the package, so a doc that no longer compiles fails the
        // build. A plain target that nothing links, so no block ever runs; its resources stand for
        // those of the reader's test target (`Bundle.module`).
        .target(
            name: "MediaGenDocumentationSnippets",
            dependencies: [
                "MediaGenCore", "MediaGenSkytells", "MediaGenFal", "MediaGenBeatAPI", "MediaGenBeatra",
                "MediaGenPipeline", "MediaGenTesting",
            ],
            path: "Tests/DocumentationSnippets",
            resources: [.copy("Fixtures")]
        ),
        // Checks the generator (the snippets are up to date, a broken block fails) and the
        // vocabulary article's table against every client's public API.
        .testTarget(
            name: "MediaGenDocumentationSnippetsTests",
            dependencies: ["MediaGenCore", "MediaGenSkytells", "MediaGenFal", "MediaGenBeatAPI", "MediaGenBeatra"],
            path: "Tests/DocumentationSnippetsTests"
        ),
        .testTarget(
            name: "MediaGenTestingTests",
            dependencies: ["MediaGenCore", "MediaGenTesting"],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
