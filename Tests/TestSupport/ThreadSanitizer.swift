import Foundation

/// Whether this process runs under ThreadSanitizer (`swift test --sanitize=thread`), whose runtime
/// exports `__tsan_init`. Memory figures mean nothing there: the sanitizer's shadow memory dwarfs them.
public enum ThreadSanitizer {
    public static let isActive: Bool = dlsym(nil, "__tsan_init") != nil
}
