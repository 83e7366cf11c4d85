using System.Buffers.Binary;

namespace GenRM.Data;

/// <summary>
/// Checks the Thrift structures of a Parquet file before Parquet.Net reads them. Parquet.Net
/// allocates whatever a length field claims (a 1 KB file can ask for hundreds of MB through one
/// string length in a page's statistics), so every length in the footer and in every page header is
/// checked to fit in the bytes that hold it, and each page's uncompressed size to stay within what
/// its compressed bytes can expand to, before any of it is handed over.
/// </summary>
/// <remarks>Thrift compact protocol: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md</remarks>
internal static class ParquetGuard
{
    /// <summary>Deflate's largest ratio is about 1032:1; a page claiming more is refused.</summary>
    const long MaxExpansion = 1100;

    const int MaxDepth = 64;

    /// <summary>Checks the footer: <c>... FileMetaData, its 4-byte length, "PAR1"</c>.</summary>
    public static void CheckFooter(Stream stream, string path)
    {
        long length = stream.Length;
        if (length < 12)
            throw BadInputException.About(path, $"not a readable Parquet file ({length} bytes is too short)");
        Span<byte> tail = stackalloc byte[8];
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        long footer = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footer <= 0 || footer > length - 12)
            throw BadInputException.About(path, $"not a readable Parquet file (footer length {footer} does not fit in {length} bytes)");
        var bytes = new byte[footer];
        stream.Position = length - 8 - footer;
        stream.ReadExactly(bytes);
        var reader = new Reader(bytes, path, "footer");
        reader.SkipStruct(0);
        stream.Position = 0;
    }

    /// <summary>Walks the page headers of one column chunk of <paramref name="chunkLength"/> bytes at <paramref name="start"/>.</summary>
    public static void CheckColumnChunk(Stream stream, string path, long start, long chunkLength)
    {
        long fileLength = stream.Length;
        if (start < 4 || chunkLength < 0 || start + chunkLength > fileLength)
            throw BadInputException.About(path, $"not a readable Parquet file (a column chunk at [{start}, {start + chunkLength}) lies outside the file's {fileLength} bytes)");
        var chunk = new byte[chunkLength];
        stream.Position = start;
        stream.ReadExactly(chunk);
        int offset = 0;
        while (offset < chunk.Length)
        {
            var reader = new Reader(chunk.AsSpan(offset), path, $"page header at byte {start + offset}");
            var (uncompressed, compressed) = reader.PageSizes();
            if (compressed < 0 || uncompressed < 0 || reader.Position + (long)compressed > chunk.Length - offset)
                throw BadInputException.About(path, $"not a readable Parquet file (the page at byte {start + offset} claims {compressed} bytes, beyond its column chunk)");
            if (uncompressed > MaxExpansion * compressed + (1 << 20))
                throw BadInputException.About(path, $"not a readable Parquet file (the page at byte {start + offset} claims to expand {compressed} bytes to {uncompressed})");
            offset += reader.Position + (int)compressed;
        }
        stream.Position = 0;
    }

    ref struct Reader(ReadOnlySpan<byte> data, string path, string where)
    {
        readonly ReadOnlySpan<byte> data = data;
        public int Position { get; private set; }

        BadInputException Broken(string problem) => BadInputException.About(path, $"not a readable Parquet file ({where}: {problem})");

        byte Byte() => Position < data.Length ? data[Position++] : throw Broken("it ends early");

        ulong Varint()
        {
            ulong value = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if ((b & 0x80) == 0) return value;
            }
            throw Broken("a number is too long");
        }

        long ZigZag()
        {
            ulong raw = Varint();
            return (long)(raw >> 1) ^ -(long)(raw & 1);
        }

        void Skip(long count)
        {
            if (count < 0 || count > data.Length - Position) throw Broken($"a length of {count} goes beyond the {data.Length - Position} bytes left");
            Position += (int)count;
        }

        /// <summary>A PageHeader's fields 2 and 3 (uncompressed and compressed size), skipping the rest.</summary>
        public (long Uncompressed, long Compressed) PageSizes()
        {
            long uncompressed = -1, compressed = -1;
            ForEachField(0, (ref Reader r, int id, int type) =>
            {
                if (type == 5 && id == 2) uncompressed = r.ZigZag();
                else if (type == 5 && id == 3) compressed = r.ZigZag();
                else r.SkipValue(type, 1);
            });
            if (uncompressed < 0 || compressed < 0) throw Broken("no page sizes");
            return (uncompressed, compressed);
        }

        public void SkipStruct(int depth) => ForEachField(depth, (ref Reader r, int _, int type) => r.SkipValue(type, depth + 1));

        delegate void FieldAction(ref Reader reader, int id, int type);

        void ForEachField(int depth, FieldAction field)
        {
            if (depth > MaxDepth) throw Broken("nested too deeply");
            int id = 0;
            while (true)
            {
                byte header = Byte();
                if (header == 0) return;
                int delta = header >> 4;
                id = delta != 0 ? id + delta : (int)ZigZag();
                field(ref this, id, header & 0x0F);
            }
        }

        void SkipValue(int type, int depth)
        {
            if (depth > MaxDepth) throw Broken("nested too deeply");
            switch (type)
            {
                case 1 or 2: break;                                  // booleans live in the field header
                case 3: Skip(1); break;
                case 4 or 5 or 6: Varint(); break;
                case 7: Skip(8); break;
                case 8: Skip((long)Math.Min(Varint(), long.MaxValue)); break;
                case 9 or 10:
                    byte list = Byte();
                    long count = list >> 4 == 15 ? (long)Math.Min(Varint(), int.MaxValue) : list >> 4;
                    if (count > data.Length - Position) throw Broken($"a list of {count} items cannot fit in {data.Length - Position} bytes");
                    for (long i = 0; i < count; i++) SkipValue((list & 0x0F) is 1 or 2 ? 3 : list & 0x0F, depth + 1);
                    break;
                case 11:
                    long pairs = (long)Math.Min(Varint(), int.MaxValue);
                    if (pairs == 0) break;
                    if (2 * pairs > data.Length - Position) throw Broken($"a map of {pairs} entries cannot fit in {data.Length - Position} bytes");
                    byte kinds = Byte();
                    for (long i = 0; i < pairs; i++)
                    {
                        SkipValue((kinds >> 4) is 1 or 2 ? 3 : kinds >> 4, depth + 1);
                        SkipValue((kinds & 0x0F) is 1 or 2 ? 3 : kinds & 0x0F, depth + 1);
                    }
                    break;
                case 12: SkipStruct(depth); break;
                default: throw Broken($"unknown field type {type}");
            }
        }
    }
}
