// gzip through the system zlib (Debian zlib1g-dev): the only Swift file that imports CZlib. It
// owns the inflate stream (z_stream) and ends it on every path.
import CZlib

public enum Gunzip {
    public enum Failure: Error, Equatable {
        /// Not gzip data, or cut short, or damaged: zlib's reason.
        case corrupt(String)
        /// The data expands to more than the limit given.
        case tooLarge
    }

    /// The bytes `compressed` expands to: every gzip member in turn (concatenated members, as
    /// `cat a.gz b.gz` makes, are one file), at most `limit` bytes. Anything after the last
    /// member, or a member cut short, is corrupt.
    public static func decompress(_ compressed: UnsafeRawBufferPointer, limit: Int) -> Result<[UInt8], Failure> {
        guard let base = compressed.baseAddress, compressed.count > 0 else { return .failure(.corrupt("the file is empty")) }
        var stream = z_stream()
        // 15 + 16: a gzip wrapper (not zlib's, not raw deflate), the largest window.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return .failure(.corrupt("zlib cannot start (out of memory)"))
        }
        defer { inflateEnd(&stream) }
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, max(compressed.count * 4, 1 << 16)))
        var chunk = [UInt8](repeating: 0, count: 1 << 18)
        var offset = 0
        while true {
            // avail_in is 32 bits: a larger file is fed in parts.
            let take = min(compressed.count - offset, Int(UInt32.max))
            stream.next_in = UnsafeMutablePointer(mutating: base.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(take)
            var status: Int32 = Z_OK
            repeat {
                let produced: Int = chunk.withUnsafeMutableBytes { buf in
                    stream.next_out = buf.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(buf.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return buf.count - Int(stream.avail_out)
                }
                guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { return .failure(.corrupt(reason(status, &stream))) }
                if produced > limit - out.count { return .failure(.tooLarge) }
                out.append(contentsOf: chunk[0..<produced])
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
            offset += take - Int(stream.avail_in)
            if status == Z_STREAM_END {
                if offset == compressed.count { return .success(out) }
                // Another member may follow (its magic byte); anything else after the data is damage.
                guard compressed[offset] == 0x1F else { return .failure(.corrupt("bytes after the end of the gzip data")) }
                guard inflateReset(&stream) == Z_OK else { return .failure(.corrupt(reason(Z_STREAM_ERROR, &stream))) }
                continue
            }
            // Every byte given was taken and the member has not ended.
            if offset >= compressed.count { return .failure(.corrupt("the gzip data is cut short")) }
        }
    }

    private static func reason(_ status: Int32, _ stream: inout z_stream) -> String {
        if let m = stream.msg { return String(cString: m) }
        switch status {
        case Z_DATA_ERROR: return "the data is not gzip or is damaged"
        case Z_MEM_ERROR: return "out of memory"
        case Z_BUF_ERROR: return "the gzip data is cut short"
        default: return "zlib status \(status)"
        }
    }
}
