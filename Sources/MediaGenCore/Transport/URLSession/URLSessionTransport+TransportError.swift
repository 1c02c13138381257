import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

extension URLSessionTransport {
    /// Sorts Foundation's errors into what the retry rule needs to know.
    static func transportError(from error: any Error) -> any Error {
        if error is TransportError || error is CancellationError { return error }
        guard let urlError = error as? URLError else {
            return TransportError(.other, error.localizedDescription)
        }
        let detail = "\(urlError.code.rawValue) \(urlError.localizedDescription)"
        switch urlError.code {
        case .cancelled:
            return Task.isCancelled ? CancellationError() : TransportError(.other, detail)
        case .cannotConnectToHost, .cannotFindHost, .dnsLookupFailed, .notConnectedToInternet,
            .internationalRoamingOff, .dataNotAllowed, .secureConnectionFailed, .serverCertificateUntrusted,
            .serverCertificateHasBadDate, .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot,
            .clientCertificateRejected, .clientCertificateRequired, .appTransportSecurityRequiresSecureConnection:
            return TransportError(.cannotConnect, detail)
        case .badURL, .unsupportedURL:
            return TransportError(.invalidRequest, detail)
        case .fileDoesNotExist, .fileIsDirectory, .noPermissionsToReadFile, .cannotCreateFile, .cannotOpenFile,
            .cannotCloseFile, .cannotWriteToFile, .cannotRemoveFile, .cannotMoveFile:
            return TransportError(
                .localFile, detail, path: urlError.failingURL?.isFileURL == true ? urlError.failingURL?.path : nil)
        case .timedOut:
            return TransportError(.timedOut, detail)
        case .networkConnectionLost:
            return TransportError(.connectionLost, detail)
        case .badServerResponse, .cannotParseResponse, .zeroByteResource, .cannotDecodeRawData,
            .cannotDecodeContentData, .dataLengthExceedsMaximum:
            return TransportError(.invalidResponse, detail)
        default:
            return TransportError(.other, detail)
        }
    }
}
