import Foundation
import MediaGenCore

extension BeatAPIClient {
    /// Edits one storyboard shot of a music-video task
    /// (`POST /v1/music-video/tasks/{task_id}/shots/{shot_id}/edit`) and returns the task, now
    /// `editing`; follow it with `wait(for:)`, which stops when BeatAPI waits for you again.
    ///
    /// ```swift
    /// var input = MusicVideoInput(imageURLs: [cover], audioURL: song)
    /// input.composeMode = .manual
    /// let stopped = try await beatAPI.run(input)          // requires_action, with a storyboard
    /// if let shot = stopped.storyboard?.shots.first {
    ///     let editing = try await beatAPI.editShot(taskID: stopped.id, shotID: shot.id, prompt: "Brighter face lighting")
    ///     let edited = try await beatAPI.wait(for: editing)  // requires_action again, the shot re-made
    /// }
    /// ```
    ///
    /// Standard tasks take only `prompt`; premium tasks may also replace up to 6 scene `images`
    /// (local files are uploaded first). BeatAPI charges the edit by the task's tier and the shot's
    /// length, at a rate it does not publish: a client with a `Budget` refuses it unless the
    /// budget allows unknown prices. It de-duplicates on `Idempotency-Key` for the same task, shot
    /// and body, so the key (yours, or one made for this call) is resent on every retry.
    public func editShot(
        taskID: String,
        shotID: String,
        prompt: String,
        images: [FileSource] = [],
        idempotencyKey: String? = nil
    ) async throws -> BeatAPITask {
        try Self.checkID(taskID, field: "task_id")
        try Self.checkID(shotID, field: "shot_id")
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw MediaGenError.invalidInput("prompt", "describe the edit; the prompt is required", provider: .beatAPI)
        }
        guard images.count <= 6 else {
            throw MediaGenError.invalidInput(
                "images", "a shot edit replaces at most 6 scene images; got \(images.count)", provider: .beatAPI)
        }
        for image in images { try inputRule.check(image, for: MusicVideoInput.imageSlot) }
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        let estimate: Money? = nil  // by tier and shot length, at an unpublished rate
        try await refuseEarlyIfOverBudget(images, workflow: .musicVideo, estimate: estimate)
        var body: [String: JSONValue] = ["prompt": .string(prompt)]
        if !images.isEmpty { body["images"] = .array(try await inputURLs(for: images).map(JSONValue.string)) }
        let request = APIRequest(
            .post, .path(["music-video", "tasks", taskID, "shots", shotID, "edit"]),
            body: try executor.jsonBody(JSONValue.object(body)),
            intent: .create(idempotencyKey: key, charge: .init(model: "music-video shot edit", estimate: estimate)),
            taskID: taskID, idField: "task_id")
        return try await send(request, as: BeatAPITask.self)
    }

    /// The stored video of one storyboard shot
    /// (`POST /v1/music-video/tasks/{task_id}/shots/{shot_id}/media`): BeatAPI stores the shot on
    /// first call and returns the same URL after. It edits nothing and costs nothing, so it is
    /// retried like a read.
    ///
    /// ```swift
    /// let shot = try await beatAPI.shotMedia(taskID: "task_8K2qA", shotID: "shot_xxx")
    /// print(shot.media?.url.absoluteString ?? "not stored")
    /// ```
    public func shotMedia(taskID: String, shotID: String) async throws -> BeatAPIShotMedia {
        try Self.checkID(taskID, field: "task_id")
        try Self.checkID(shotID, field: "shot_id")
        let request = APIRequest(
            .post, .path(["music-video", "tasks", taskID, "shots", shotID, "media"]), intent: .idempotent,
            taskID: taskID, idField: "task_id")
        return try await send(request, as: BeatAPIShotMedia.self)
    }

    /// Composes the selected storyboard shots into the final music video
    /// (`POST /v1/music-video/tasks/{task_id}/compose`) and returns the task, now `composing`.
    ///
    /// ```swift
    /// let shots = stopped.storyboard?.shots.map(\.id) ?? []
    /// let composing = try await beatAPI.compose(taskID: stopped.id, shotIDs: shots)
    /// let video = try await beatAPI.wait(for: composing)   // succeeded, with the new video
    /// ```
    ///
    /// It costs a fixed ``BeatAPICatalog/composeCharge`` ($1), counted by the client's budget
    /// before anything is sent. BeatAPI de-duplicates it on `Idempotency-Key` for the same task
    /// and body, so the key is resent on every retry and the $1 is charged once.
    public func compose(taskID: String, shotIDs: [String], idempotencyKey: String? = nil) async throws -> BeatAPITask {
        try Self.checkID(taskID, field: "task_id")
        guard !shotIDs.isEmpty else {
            throw MediaGenError.invalidInput("shot_ids", "select at least one shot to compose", provider: .beatAPI)
        }
        for shotID in shotIDs { try Self.checkID(shotID, field: "shot_ids") }
        let key = try RequestValidation.idempotencyKey(idempotencyKey, provider: .beatAPI)
        let body = JSONValue.object(["shot_ids": .array(shotIDs.map(JSONValue.string))])
        let request = APIRequest(
            .post, .path(["music-video", "tasks", taskID, "compose"]), body: try executor.jsonBody(body),
            intent: .create(
                idempotencyKey: key, charge: .init(model: "music-video compose", estimate: BeatAPICatalog.composeCharge)
            ),
            taskID: taskID, idField: "task_id")
        return try await send(request, as: BeatAPITask.self)
    }

    private static func checkID(_ id: String, field: String) throws(MediaGenError) {
        guard !id.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw MediaGenError.invalidInput(field, "the id is empty", provider: .beatAPI)
        }
    }
}
