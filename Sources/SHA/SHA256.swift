// SHA-256 through the system libcrypto (OpenSSL 3, Debian libssl-dev): the only Swift file that
// imports CLibCrypto. It owns the digest context (EVP_MD_CTX) and frees it.
import CLibCrypto

/// An incremental SHA-256, with the subset of swift-crypto's `SHA256` API costper uses.
public struct SHA256 {
    private final class Context {
        let ctx: OpaquePointer
        init() {
            guard let c = EVP_MD_CTX_new(), EVP_DigestInit_ex(c, EVP_sha256(), nil) == 1 else {
                fatalError("libcrypto: cannot set up a SHA-256 context (out of memory)")
            }
            ctx = c
        }
        deinit { EVP_MD_CTX_free(ctx) }
    }

    private let context = Context()

    public init() {}

    public mutating func update(bufferPointer: UnsafeRawBufferPointer) {
        guard let base = bufferPointer.baseAddress, bufferPointer.count > 0 else { return }
        guard EVP_DigestUpdate(context.ctx, base, bufferPointer.count) == 1 else { fatalError("libcrypto: EVP_DigestUpdate failed") }
    }

    public mutating func update(data: [UInt8]) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// The 32-byte digest. The hasher is spent afterwards (as swift-crypto's is).
    public func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context.ctx, &out, &length) == 1, length == 32 else { fatalError("libcrypto: EVP_DigestFinal_ex failed") }
        return out
    }

    public static func hash(data: [UInt8]) -> [UInt8] {
        var h = SHA256()
        h.update(data: data)
        return h.finalize()
    }
}
