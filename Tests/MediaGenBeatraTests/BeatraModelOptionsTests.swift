import Foundation
import MediaGenBeatra
import MediaGenCore
import MediaGenTesting
import TestSupport
import Testing

@Suite("Beatra model options and shared fields")
struct BeatraModelOptionsTests {
    // The namespaces are checked by the compiler: each model type names its options type
    // (`Suno55.Options == SunoOptions`, `MinimaxMusic26.Options == MinimaxOptions`), so none of
    // these compiles (diagnostics from Swift 6.3.1, checked with `swiftc -typecheck`):
    //
    //     BeatraMusicRequest<MinimaxMusic26>(model: .minimaxMusic26, prompt: "x", modelOptions: SunoOptions())
    //     // error: cannot convert value of type 'SunoOptions' to expected argument type
    //     //        'MinimaxMusic26.Options' (aka 'MinimaxOptions')
    //
    //     var request = BeatraMusicRequest(model: .suno55, prompt: "x")
    //     request.modelOptions = MinimaxOptions(["mood": "calm"])
    //     // error: cannot assign value of type 'MinimaxOptions' to type 'Suno55.Options' (aka 'SunoOptions')
    //
    //     BeatraMusicRequest(model: .minimaxMusic26, prompt: "x", modelOptions: SunoOptions())
    //     // refused too (the generic parameter cannot be inferred), though this compiler words it
    //     // as "failed to produce diagnostic for expression"
    @Test func eachModelTypeNamesItsOwnOptionsType() {
        #expect(Suno55.Options.self == SunoOptions.self)
        #expect(MinimaxMusic26.Options.self == MinimaxOptions.self)
        #expect(BeatraModelID.Options.self == CustomModelOptions.self)
        #expect(Suno55().id == .suno55)
        #expect(MinimaxMusic26().id == .minimaxMusic26)
    }

    @Test func sunoOptionsAreSentUnderModelOptionsSuno() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let options = SunoOptions(customMode: false, styleWeight: 0.25, additional: ["negative_tags": "metal"])
        _ = try await harness.client.createTask(
            BeatraMusicRequest(model: .suno55, prompt: "synth pop", modelOptions: options))
        #expect(
            harness.json(0) == [
                "model": "suno-5.5",
                "prompt": "synth pop",
                "model_options": ["suno": ["custom_mode": false, "style_weight": 0.25, "negative_tags": "metal"]],
            ]
        )
    }

    @Test func minimaxOptionsAreSentUnderModelOptionsMinimax() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(
            model: .minimaxMusic26, prompt: "lo-fi piano", modelOptions: ["mood": "calm", "loop": true])
        _ = try await harness.client.createTask(request)
        #expect(
            harness.json(0) == [
                "model": "minimax-music-2.6",
                "prompt": "lo-fi piano",
                "model_options": ["minimax": ["mood": "calm", "loop": true]],
            ]
        )
    }

    @Test func everySharedFieldTravelsAtTheTopLevel() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(
            model: .minimaxMusic26,
            prompt: "ambient loop for a product video",
            lyrics: "[Chorus]\nla la",
            instrumental: true,
            title: "Spring Loop",
            metadata: ["campaign": "spring", "variant": 2, "tags": ["ad", "loop"]],
            modelOptions: MinimaxOptions()
        )
        _ = try await harness.client.createTask(request)
        #expect(
            harness.json(0) == [
                "model": "minimax-music-2.6",
                "prompt": "ambient loop for a product video",
                "lyrics": "[Chorus]\nla la",
                "instrumental": true,
                "title": "Spring Loop",
                "metadata": ["campaign": "spring", "variant": 2, "tags": ["ad", "loop"]],
                "model_options": ["minimax": [:]],
            ]
        )
    }

    @Test func withoutOptionsNoModelOptionsFieldIsSent() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        _ = try await harness.client.createTask(BeatraMusicRequest(model: .suno55, prompt: "jazz"))
        #expect(harness.json(0) == ["model": "suno-5.5", "prompt": "jazz"])
    }

    @Test func anUnlistedModelTakesOptionsUnderTheNamespaceYouName() async throws {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(
            model: BeatraModelID(rawValue: "suno-6"), prompt: "synth pop",
            modelOptions: CustomModelOptions(namespace: "suno", fields: ["custom_mode": true]))
        let task = try await harness.client.createTask(request)
        #expect(task.model == "suno-6")
        #expect(
            harness.json(0) == [
                "model": "suno-6", "prompt": "synth pop", "model_options": ["suno": ["custom_mode": true]],
            ])
    }

    @Test(arguments: [
        // A documented model's id with the other model's namespace, or an unknown one.
        (BeatraModelID.suno55, "minimax", "model_options.minimax"),
        (.minimaxMusic26, "suno", "model_options.suno"),
        (.suno55, "udio", "model_options.udio"),
        (.suno55, "", "model_options"),
    ])
    func untypedOptionsInTheWrongNamespaceAreRefusedBeforeSending(
        model: BeatraModelID, namespace: String, field: String
    ) async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(
            model: model, prompt: "x", modelOptions: CustomModelOptions(namespace: namespace))
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == field)
        #expect(error?.provider == .beatra)
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: [-0.1, 1.5, Double.nan])
    func aStyleWeightOutsideZeroToOneIsRefusedBeforeSending(weight: Double) async {
        let harness = BeatraHarness(fixtures: [("create-accepted", 202)])
        let request = BeatraMusicRequest(model: .suno55, prompt: "x", modelOptions: SunoOptions(styleWeight: weight))
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == "model_options.suno.style_weight")
        #expect(harness.requests.isEmpty)
    }

    @Test func aTypedOptionCannotAlsoBeGivenAsAnAdditionalOne() async {
        let harness = BeatraHarness(fixtures: [])
        let request = BeatraMusicRequest(
            model: .suno55, prompt: "x", modelOptions: SunoOptions(additional: ["custom_mode": "yes"]))
        let error = await mediaError { try await harness.client.createTask(request) }
        #expect(error?.kind.field == "model_options.suno.custom_mode")
        #expect(harness.requests.isEmpty)
    }

    @Test(arguments: ["", "   ", "\n"])
    func aBlankPromptIsRefusedBeforeSending(prompt: String) async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError {
            try await harness.client.createTask(BeatraMusicRequest(model: .suno55, prompt: prompt))
        }
        #expect(error?.kind.field == "prompt")
        #expect(harness.requests.isEmpty)
    }

    @Test func aBlankModelIdIsRefusedBeforeSending() async {
        let harness = BeatraHarness(fixtures: [])
        let error = await mediaError {
            try await harness.client.createTask(BeatraMusicRequest(model: BeatraModelID(rawValue: ""), prompt: "x"))
        }
        #expect(error?.kind.field == "model")
        #expect(harness.requests.isEmpty)
    }

    @Test func documentedModelsKnowTheirNamespace() {
        #expect(BeatraModelID.suno55.optionsNamespace == "suno")
        #expect(BeatraModelID.minimaxMusic26.optionsNamespace == "minimax")
        #expect(BeatraModelID(rawValue: "suno-6").optionsNamespace == nil)
        #expect(SunoOptions().namespace == "suno")
        #expect(MinimaxOptions().namespace == "minimax")
    }
}
