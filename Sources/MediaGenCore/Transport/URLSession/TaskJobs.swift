import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What a session delegate keeps for each URLSession task it serves (a download's file, a
/// streamed answer's continuation), found again by the task's identifier in each callback.
final class TaskJobs<Job: Sendable>: Sendable {
    private let jobs = Locked<[Int: Job]>([:])

    /// Registered by the calling task before the URLSession task is resumed.
    func register(_ job: Job, for taskIdentifier: Int) {
        jobs.withLock { $0[taskIdentifier] = job }
    }

    func job(for task: URLSessionTask) -> Job? {
        jobs.withLock { $0[task.taskIdentifier] }
    }

    /// Changes the task's job in place, if it has one.
    @discardableResult
    func update<T>(for task: URLSessionTask, _ body: (inout Job) -> T) -> T? {
        jobs.withLock { jobs in
            guard var job = jobs[task.taskIdentifier] else { return nil }
            defer { jobs[task.taskIdentifier] = job }
            return body(&job)
        }
    }

    /// The task's job, forgotten: the task has completed.
    func remove(for task: URLSessionTask) -> Job? {
        jobs.withLock { $0.removeValue(forKey: task.taskIdentifier) }
    }
}
