// Downloads a file the way MediaGenKit saves provider outputs: streamed to disk, size-checked,
// moved into place atomically, with progress.
//
//     swift run Download https://example.com/clip.mp4 outputs/
import Foundation
import MediaGenCore

let arguments = CommandLine.arguments.dropFirst()
guard let address = arguments.first, let url = URL(string: address), url.scheme != nil else {
    print("usage: Download <url> [destination file or folder/]")
    exit(2)
}
let destination = URL(fileURLWithPath: arguments.dropFirst().first ?? "./")

// Progress arrives for every chunk; keep only the newest and print each new tenth.
let (progress, report) = AsyncStream<DownloadProgress>.makeStream(bufferingPolicy: .bufferingNewest(1))
let printer = Task {
    var printed = -1
    for await update in progress {
        guard let fraction = update.fraction, Int(fraction * 10) > printed else { continue }
        printed = Int(fraction * 10)
        print("\(printed * 10) %  \(update.bytesReceived) bytes")
    }
}

do {
    let saved = try await RemoteFile(url: url).download(to: destination) { report.yield($0) }
    report.finish()
    await printer.value
    print("saved \(saved.path)")
} catch {
    report.finish()
    print(error)
    exit(1)
}
