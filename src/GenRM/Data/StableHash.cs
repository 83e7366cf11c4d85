using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace GenRM.Data;

/// <summary>
/// Seeded per-item randomness that depends only on (purpose, seed, id): the same in every process
/// (unlike string.GetHashCode) and independent of item order. The purpose keeps uses apart, so a
/// pair's split does not decide its A/B order.
/// </summary>
public static class StableHash
{
    /// <summary>A number in [0, 1) from SHA-256 of purpose, seed and id.</summary>
    public static double Unit(string purpose, int seed, string id)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentNullException.ThrowIfNull(id);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}\u001F{seed}\u001F{id}"), hash);
        // The top 53 bits fill a double's mantissa exactly.
        return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * (1.0 / (1UL << 53));
    }
}
