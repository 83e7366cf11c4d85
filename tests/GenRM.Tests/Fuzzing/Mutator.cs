using System.Buffers.Binary;
using System.Text;

namespace GenRM.Tests.Fuzzing;

/// <summary>
/// Byte-level mutations of valid files, biased towards what breaks parsers: JSON tokens that are
/// out of range or of the wrong kind, deep nesting, broken UTF-8, extreme 64-bit lengths, cuts and splices.
/// </summary>
internal static class Mutator
{
    static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "-1", "0", "1e309", "-1e309", "1e-400", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808",
            "18446744073709551616", "1.5", "null", "true", "\"\"", "[]", "{}", "\"\\ud800\"", "\"\\u0000\"", "NaN", "\"x\"",
            new string('[', 300), new string('{', 40) + "\"a\":", "\"__metadata__\"", "\"F32\"", "\"BF16\"", "\"F8_E4M3\"",
            ",", ":", "\"", "\\", "\uFEFF", "\r\n", "\n", "..", "/", "PAR1", "\"model\"", "\"type\"", "(?:", "(a+)+$", "\"Regex\"",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x00], [0x1F, 0x8B],
    ];

    static readonly ulong[] Lengths = [0, 1, 7, 8, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 100_000_001, long.MaxValue, ulong.MaxValue, 1UL << 40];

    /// <summary>Applies one to four mutations chosen by <paramref name="seed"/> to a copy of <paramref name="input"/>.</summary>
    public static byte[] Mutate(byte[] input, IReadOnlyList<byte[]> others, uint seed)
    {
        var random = new Random(unchecked((int)seed));
        var bytes = new List<byte>(input);
        int count = 1 + random.Next(4);
        for (int i = 0; i < count; i++)
            Apply(bytes, others, random);
        return [.. bytes];
    }

    static void Apply(List<byte> bytes, IReadOnlyList<byte[]> others, Random random)
    {
        int Position() => random.Next(bytes.Count + 1);
        byte[] Token() => Tokens[random.Next(Tokens.Length)];
        switch (random.Next(10))
        {
            case 0 when bytes.Count > 0:
                int bit = random.Next(bytes.Count * 8);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                break;
            case 1 when bytes.Count > 0:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes.InsertRange(Position(), Token());
                break;
            case 3:
                ReplaceValue(bytes, Token(), random);
                break;
            case 4 when bytes.Count > 0:
                int start = random.Next(bytes.Count);
                bytes.RemoveRange(start, Math.Min(bytes.Count - start, 1 + random.Next(64)));
                break;
            case 5 when bytes.Count > 0:
                int from = random.Next(bytes.Count);
                int length = Math.Min(bytes.Count - from, 1 + random.Next(256));
                bytes.InsertRange(Position(), bytes.GetRange(from, length));
                break;
            case 6 when bytes.Count > 0:
                int keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            case 7 when others.Count > 0:
                byte[] other = others[random.Next(others.Count)];
                int cut = random.Next(bytes.Count + 1);
                bytes.RemoveRange(cut, bytes.Count - cut);
                bytes.AddRange(other.Skip(random.Next(other.Length + 1)));
                break;
            case 8 when bytes.Count >= 8:
                // Most often the safetensors length prefix; elsewhere any 64-bit field.
                int at = random.Next(2) == 0 ? 0 : random.Next(bytes.Count - 7);
                Span<byte> value = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(value, Lengths[random.Next(Lengths.Length)]);
                for (int i = 0; i < 8; i++) bytes[at + i] = value[i];
                break;
            default:
                bytes.InsertRange(Position(), Token());
                break;
        }
    }

    /// <summary>Replaces a run of digits, or a quoted string, with <paramref name="token"/>: JSON values of the wrong size or kind.</summary>
    static void ReplaceValue(List<byte> bytes, byte[] token, Random random)
    {
        if (bytes.Count == 0) { bytes.AddRange(token); return; }
        int start = random.Next(bytes.Count);
        for (int i = start; i < bytes.Count; i++)
        {
            if (bytes[i] is >= (byte)'0' and <= (byte)'9')
            {
                int end = i;
                while (end < bytes.Count && bytes[end] is >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'e' or (byte)'-') end++;
                bytes.RemoveRange(i, end - i);
                bytes.InsertRange(i, token);
                return;
            }
            if (bytes[i] == (byte)'"')
            {
                int end = bytes.IndexOf((byte)'"', i + 1);
                if (end < 0) break;
                bytes.RemoveRange(i, end - i + 1);
                bytes.InsertRange(i, token);
                return;
            }
        }
        bytes.InsertRange(start, token);
    }
}
