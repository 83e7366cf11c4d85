using GenRM.Modeling;
using GenRM.Runtime;

namespace GenRM.Tests.Modeling;

/// <summary>Every malformed file gives a BadInputException naming the file, the tensor and the problem.</summary>
public sealed class SafetensorsMalformedTests : IDisposable
{
    readonly TempDirectory dir = new();

    public SafetensorsMalformedTests() => TorchRuntime.EnsureLoaded();

    public void Dispose() => dir.Dispose();

    BadInputException Refused(byte[] file, params string[] fragments)
    {
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, file);
        var error = Assert.Throws<BadInputException>(() => SafetensorsFile.Load(path));
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        foreach (string fragment in fragments)
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        return error;
    }

    static byte[] One(string tensorJson, int dataBytes) =>
        SafetensorsBytes.Build("{\"t\":" + tensorJson + "}", new byte[dataBytes]);

    [Fact]
    public void FileShorterThanTheLengthPrefix() =>
        Refused([1, 2, 3], "fewer than the 8-byte header length");

    [Fact]
    public void HeaderLengthBeyondTheFile() =>
        Refused(SafetensorsBytes.WithDeclaredLength(1000, new byte[100]), "header length 1000 goes beyond the end of the file (108 bytes)");

    [Fact]
    public void AbsurdHeaderLength() =>
        Refused(SafetensorsBytes.WithDeclaredLength(ulong.MaxValue - 3, new byte[100]), "over the 100000000-byte limit");

    [Fact]
    public void InvalidJson() =>
        Refused(SafetensorsBytes.Build("{\"t\": {\"dtype\": \"F32\",", new byte[4]), "not valid JSON");

    [Fact]
    public void InvalidUtf8() =>
        Refused(SafetensorsBytes.WithDeclaredLength(8, [(byte)'{', (byte)'"', 0xFF, 0xFE, (byte)'"', (byte)':', (byte)'1', (byte)'}']), "not valid JSON");

    [Fact]
    public void NonObjectHeader() =>
        Refused(SafetensorsBytes.Build("[1, 2, 3]", []), "must be a JSON object, found Array");

    [Fact]
    public void EntryThatIsNotAnObject() =>
        Refused(SafetensorsBytes.Build("{\"t\": 5}", []), "tensor 't'", "must be an object");

    [Fact]
    public void UnknownDType() =>
        Refused(One("""{"dtype":"F13","shape":[2],"data_offsets":[0,4]}""", 4), "tensor 't'", "unknown or unsupported dtype 'F13'");

    [Fact]
    public void NegativeShape() =>
        Refused(One("""{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}""", 4), "tensor 't'", "shape must hold non-negative integers, found -1");

    [Fact]
    public void ShapeAndSizeMismatch() =>
        Refused(One("""{"dtype":"F32","shape":[3],"data_offsets":[0,8]}""", 8), "tensor 't'", "shape [3] of F32 needs 12 bytes, but data_offsets [0, 8] hold 8");

    [Fact]
    public void ClaimedTwoGigabyteShapeInOneKilobyteFile() =>
        Refused(One("""{"dtype":"F32","shape":[536870912],"data_offsets":[0,2147483648]}""", 1000),
            "tensor 't'", "go beyond the data block (1000 bytes)");

    [Fact]
    public void ClaimedHugeShapeWithinSmallOffsets() =>
        Refused(One("""{"dtype":"F32","shape":[536870912],"data_offsets":[0,16]}""", 16),
            "tensor 't'", "needs 2147483648 bytes");

    [Fact]
    public void ShapeWhoseByteCountOverflows() =>
        Refused(One("""{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,16]}""", 16),
            "tensor 't'", "too large to address");

    [Fact]
    public void OffsetsOutOfRange() =>
        Refused(One("""{"dtype":"F32","shape":[4],"data_offsets":[8,24]}""", 16), "tensor 't'", "data_offsets [8, 24] go beyond the data block (16 bytes)");

    [Fact]
    public void OffsetsEndingBeforeTheyBegin() =>
        Refused(One("""{"dtype":"F32","shape":[0],"data_offsets":[8,4]}""", 8), "tensor 't'", "end before they begin");

    [Fact]
    public void WrongNumberOfOffsets() =>
        Refused(One("""{"dtype":"F32","shape":[1],"data_offsets":[0]}""", 4), "tensor 't'", "data_offsets must be [begin, end]");

    [Fact]
    public void TruncatedData()
    {
        byte[] whole = SafetensorsBytes.Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[4],"data_offsets":[8,24]}}""", new byte[24]);
        Refused(whole[..^5], "tensor 'b'", "go beyond the data block (19 bytes): the file is truncated");
    }

    [Fact]
    public void OverlappingOffsets() =>
        Refused(SafetensorsBytes.Build("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", new byte[16]),
            "tensor 'b'", "overlap those of tensor 'a' [0, 16]");

    [Fact]
    public void HoleBetweenTensors() =>
        Refused(SafetensorsBytes.Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", new byte[12]),
            "tensor 'b'", "bytes [4, 8) of the data block before it belong to no tensor");

    [Fact]
    public void TrailingDataAfterTheLastTensor() =>
        Refused(One("""{"dtype":"F32","shape":[1],"data_offsets":[0,4]}""", 12), "the data block has 12 bytes but the tensors cover only 4");

    [Fact]
    public void DuplicateTensorName() =>
        Refused(SafetensorsBytes.Build("""{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}""", new byte[2]),
            "tensor 'a'", "appears twice");

    [Fact]
    public void MetadataWithANonStringValue() =>
        Refused(SafetensorsBytes.Build("""{"__metadata__":{"step":12}}""", []), "__metadata__", "value of 'step' must be a string");

    [Fact]
    public void MissingFile()
    {
        var error = Assert.Throws<BadInputException>(() => SafetensorsFile.Load(dir.File("absent.safetensors")));
        Assert.Contains("absent.safetensors: cannot open the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyTensorsAndAnEmptyFileAreValid()
    {
        string path = dir.File("ok.safetensors");
        File.WriteAllBytes(path, SafetensorsBytes.Build("""{"z":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"s":{"dtype":"U8","shape":[],"data_offsets":[0,1]}}""", [42]));
        var loaded = SafetensorsFile.Load(path);
        Assert.Equal([0L, 3L], loaded["z"].shape);
        Assert.Equal((byte)42, loaded["s"].item<byte>());

        File.WriteAllBytes(path, SafetensorsBytes.Build("{}", []));
        Assert.Empty(SafetensorsFile.Load(path));
    }
}
