using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using GenRM.Modeling;
using GenRM.Runtime;
using TorchSharp;

namespace GenRM.Tests.Modeling;

public sealed class SafetensorsRoundTripTests
{
    public SafetensorsRoundTripTests() => TorchRuntime.EnsureLoaded();

    internal static torch.Tensor Sample(torch.ScalarType dtype, long[] shape, ulong seed)
    {
        using var generator = new torch.Generator(seed);
        using var scope = torch.NewDisposeScope();
        var values = torch.is_floating_point(dtype)
            ? torch.randn(shape, generator: generator).to(dtype)
            : (torch.randn(shape, generator: generator) * 1000).to(dtype);
        return values.MoveToOuterDisposeScope();
    }

    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.BFloat16)]
    [InlineData(torch.ScalarType.Float16)]
    [InlineData(torch.ScalarType.Int64)]
    [InlineData(torch.ScalarType.Float64)]
    [InlineData(torch.ScalarType.Int32)]
    [InlineData(torch.ScalarType.Int16)]
    [InlineData(torch.ScalarType.Int8)]
    [InlineData(torch.ScalarType.Byte)]
    [InlineData(torch.ScalarType.Bool)]
    public void RoundTripIsBitExact(torch.ScalarType dtype)
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, torch.Tensor>
        {
            ["model.embed_tokens.weight"] = Sample(dtype, [7, 5], 1),
            ["model.norm.weight"] = Sample(dtype, [5], 2),
            ["scalar"] = Sample(dtype, [], 3),
            ["empty"] = Sample(dtype, [0, 4], 4),
        };
        string path = dir.File("w.safetensors");
        SafetensorsFile.Save(path, tensors);

        var loaded = SafetensorsFile.Load(path);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, original) in tensors)
        {
            Assert.Equal(dtype, loaded[name].dtype);
            Assert.Equal(original.shape, loaded[name].shape);
            Assert.Equal(original.bytes.ToArray(), loaded[name].bytes.ToArray());
        }
    }

    [Fact]
    public void MetadataIsPreservedWithFormatPt()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.ones(2) },
            new Dictionary<string, string> { ["step"] = "1200", ["note"] = "ünïcode \"quoted\"" });

        var header = SafetensorsHeader.Read(path);
        Assert.Equal("pt", header.Metadata["format"]);
        Assert.Equal("1200", header.Metadata["step"]);
        Assert.Equal("ünïcode \"quoted\"", header.Metadata["note"]);
    }

    [Fact]
    public void WriterLaysOutHeaderAsTheReferenceLibraryDoes()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor>
        {
            ["b"] = torch.tensor(new float[] { 5, 6 }),
            ["a"] = torch.tensor(new float[] { 1, 2, 3, 4 }, [2, 2]),
        });

        // The reference library writes compact JSON, __metadata__ first, then tensors (same dtype: by name).
        byte[] expected = SafetensorsBytes.Build(
            """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[16,24]}}""",
            SafetensorsBytes.Floats(1, 2, 3, 4, 5, 6));
        byte[] actual = File.ReadAllBytes(path);
        Assert.Equal(expected, actual);
        Assert.Equal(0UL, BinaryPrimitives.ReadUInt64LittleEndian(actual) % 8);
    }

    [Fact]
    public void FileLaidOutByTheReferenceLibraryReadsBackToItsValues()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        // bf16 1.0 = 0x3F80, -2.0 = 0xC000, 0.5 = 0x3F00; f16 1.0 = 0x3C00, -0.5 = 0xB800.
        byte[] bf16 = [0x80, 0x3F, 0x00, 0xC0, 0x00, 0x3F];
        byte[] f16 = [0x00, 0x3C, 0x00, 0xB8];
        byte[] data = SafetensorsBytes.Concat(SafetensorsBytes.Longs(7, -9), SafetensorsBytes.Floats(1.5f, -2.25f, 3, 4), bf16, f16);
        string path = dir.File("py.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build(
            """{"__metadata__":{"format":"pt"},"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[2,2],"data_offsets":[16,32]},"h":{"dtype":"BF16","shape":[3],"data_offsets":[32,38]},"g":{"dtype":"F16","shape":[1,2],"data_offsets":[38,42]}}""",
            data));

        var loaded = SafetensorsFile.Load(path);
        Assert.Equal([7L, -9L], loaded["ids"].data<long>().ToArray());
        Assert.Equal([2L, 2L], loaded["w"].shape);
        Assert.Equal([1.5f, -2.25f, 3f, 4f], loaded["w"].data<float>().ToArray());
        Assert.Equal(torch.ScalarType.BFloat16, loaded["h"].dtype);
        Assert.Equal([1f, -2f, 0.5f], loaded["h"].to(torch.ScalarType.Float32).data<float>().ToArray());
        Assert.Equal([1f, -0.5f], loaded["g"].to(torch.ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void LoadsASubsetConvertingOnlyFloatingPointTensors()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor>
        {
            ["w"] = Sample(torch.ScalarType.BFloat16, [3, 4], 5),
            ["ids"] = torch.arange(6L),
            ["skipped"] = torch.zeros(100),
        });

        var loaded = SafetensorsFile.Load(path, ["w", "ids"], torch.ScalarType.Float32, torch.CPU);
        Assert.Equal(["ids", "w"], loaded.Keys.Order());
        Assert.Equal(torch.ScalarType.Float32, loaded["w"].dtype);
        Assert.Equal(torch.ScalarType.Int64, loaded["ids"].dtype);
    }

    [Fact]
    public void LazyReaderReadsOneTensorAtATimeAfterTheHeader()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        var b = Sample(torch.ScalarType.Float32, [4, 3], 6);
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["a"] = torch.zeros(1000), ["b"] = b });

        using var reader = SafetensorsReader.Open(path);
        Assert.Equal([4L, 3L], reader.Header.Tensors["b"].Shape);
        Assert.Equal(4000, reader.Header.Tensors["a"].ByteCount);
        Assert.Equal(b.bytes.ToArray(), reader.Read("b").bytes.ToArray());
        var error = Assert.Throws<BadInputException>(() => reader.Read("c"));
        Assert.Contains("'c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonContiguousTensorIsWrittenInRowMajorOrder()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        var transposed = torch.arange(6f).reshape(2, 3).t();
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["t"] = transposed });

        var loaded = SafetensorsFile.Load(path)["t"];
        Assert.Equal([3L, 2L], loaded.shape);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, loaded.data<float>().ToArray());
    }

    [Fact]
    public void ReservedNameAndUnsupportedDTypeAreRefusedOnSave()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        var reserved = Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(dir.File("a.safetensors"),
            new Dictionary<string, torch.Tensor> { ["__metadata__"] = torch.ones(1) }));
        Assert.Contains("reserved", reserved.Message, StringComparison.Ordinal);
        var complex = Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(dir.File("b.safetensors"),
            new Dictionary<string, torch.Tensor> { ["z"] = torch.ones(2, torch.ScalarType.ComplexFloat32) }));
        Assert.Contains("'z'", complex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Fact]
    public void HeaderJsonParsesAsTheFormatDescribes()
    {
        using var dir = new TempDirectory();
        using var scope = torch.NewDisposeScope();
        string path = dir.File("w.safetensors");
        SafetensorsFile.Save(path, new Dictionary<string, torch.Tensor> { ["x.y"] = torch.ones(3, torch.ScalarType.Float16) });

        byte[] file = File.ReadAllBytes(path);
        int length = (int)BinaryPrimitives.ReadUInt64LittleEndian(file);
        string json = Encoding.UTF8.GetString(file, 8, length);
        using var document = JsonDocument.Parse(json);
        var entry = document.RootElement.GetProperty("x.y");
        Assert.Equal("F16", entry.GetProperty("dtype").GetString());
        Assert.Equal(6, entry.GetProperty("data_offsets")[1].GetInt64());
        Assert.Equal(8 + length + 6, file.Length);
    }
}
