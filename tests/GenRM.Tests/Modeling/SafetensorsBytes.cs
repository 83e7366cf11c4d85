using System.Buffers.Binary;
using System.Text;

namespace GenRM.Tests.Modeling;

/// <summary>Builds safetensors files byte by byte, the way the reference library lays them out.</summary>
internal static class SafetensorsBytes
{
    /// <summary>8-byte little-endian length, the header padded with spaces to a multiple of 8, then the data.</summary>
    public static byte[] Build(string headerJson, byte[] data)
    {
        byte[] header = Encoding.UTF8.GetBytes(headerJson);
        int padded = (header.Length + 7) / 8 * 8;
        var file = new byte[8 + padded + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)padded);
        header.CopyTo(file, 8);
        file.AsSpan(8 + header.Length, padded - header.Length).Fill((byte)' ');
        data.CopyTo(file, 8 + padded);
        return file;
    }

    /// <summary>A file whose length prefix says <paramref name="declaredLength"/>, whatever follows.</summary>
    public static byte[] WithDeclaredLength(ulong declaredLength, byte[] rest)
    {
        var file = new byte[8 + rest.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength);
        rest.CopyTo(file, 8);
        return file;
    }

    /// <summary>Little-endian bytes of the values, concatenated.</summary>
    public static byte[] Floats(params float[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), values[i]);
        return bytes;
    }

    public static byte[] Longs(params long[] values)
    {
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
