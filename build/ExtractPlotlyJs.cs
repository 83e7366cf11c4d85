// (netstandard 2.0, no nullable annotations: RoslynCodeTaskFactory compiles it so.)
// MSBuild inline task (compiled by RoslynCodeTaskFactory): copies plotly.min.js out of the managed
// resources of Plotly.NET.dll, which embeds it. See PlotlyJs.targets for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class ExtractPlotlyJs : Task
{
    // Every plotly.js bundle starts with this banner comment.
    static readonly byte[] Banner = Encoding.ASCII.GetBytes("/**\n* plotly.js v");

    [Required] public string AssemblyPath { get; set; } = "";
    [Required] public string OutputPath { get; set; } = "";

    public override bool Execute()
    {
        byte[] image = File.ReadAllBytes(AssemblyPath);
        // PE headers: the COFF header after the "PE\0\0" signature, then the optional header whose
        // data directory 14 locates the CLI header; section headers map RVAs to file offsets.
        int pe = ReadInt32(image, 0x3C);
        int sections = ReadUInt16(image, pe + 6);
        int optionalSize = ReadUInt16(image, pe + 20);
        int optional = pe + 24;
        int directories = optional + (ReadUInt16(image, optional) == 0x20B ? 112 : 96);
        int sectionTable = optional + optionalSize;
        int cli = Offset(image, sectionTable, sections, ReadInt32(image, directories + 14 * 8));
        // CLI header: managed resources RVA at +24, size at +28. Each resource is a 4-byte length then
        // its bytes, aligned to 8 bytes.
        int resources = Offset(image, sectionTable, sections, ReadInt32(image, cli + 24));
        int end = resources + ReadInt32(image, cli + 28);
        for (int at = resources; at + 4 <= end; at = Align8(at + 4 + ReadInt32(image, at) - resources) + resources)
        {
            int length = ReadInt32(image, at);
            if (length >= Banner.Length && StartsWithBanner(image, at + 4))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(OutputPath));
                using (var output = File.Create(OutputPath))
                    output.Write(image, at + 4, length);
                Log.LogMessage(MessageImportance.Low, "plotly.js ({0} bytes) copied from {1}", length, AssemblyPath);
                return true;
            }
        }
        Log.LogError("{0} embeds no plotly.js (no resource starts with the plotly.js banner)", AssemblyPath);
        return false;
    }

    static bool StartsWithBanner(byte[] image, int at)
    {
        for (int i = 0; i < Banner.Length; i++)
            if (image[at + i] != Banner[i])
                return false;
        return true;
    }

    static int Align8(int value) => (value + 7) & ~7;

    static int Offset(byte[] image, int sectionTable, int sections, int rva)
    {
        for (int i = 0; i < sections; i++)
        {
            int header = sectionTable + 40 * i;
            int virtualAddress = ReadInt32(image, header + 12);
            int rawSize = ReadInt32(image, header + 16);
            if (rva >= virtualAddress && rva < virtualAddress + rawSize)
                return rva - virtualAddress + ReadInt32(image, header + 20);
        }
        throw new InvalidDataException("RVA 0x" + rva.ToString("x") + " is in no section");
    }

    static int ReadInt32(byte[] image, int at) => BitConverter.ToInt32(image, at);

    static int ReadUInt16(byte[] image, int at) => BitConverter.ToUInt16(image, at);
}
