// (netstandard 2.0, no nullable annotations: RoslynCodeTaskFactory compiles it so.)
// MSBuild inline task (compiled by RoslynCodeTaskFactory): marks one GLIBCXX version need of an
// ELF64 shared library weak, when the host's libstdc++ does not provide that version.
// See TorchSharpLibstdcxxFix.targets for why.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchGlibcxxVersionNeed : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const uint ShtGnuVersym = 0x6fffffff;
    const ushort VerFlagWeak = 0x2;
    const ushort VersymGlobal = 1;

    [Required] public string LibraryPath { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    static readonly string[] LibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    public override bool Execute()
    {
        string host = Array.Find(LibstdcxxCandidates, File.Exists);
        if (host == null)
        {
            Log.LogMessage(MessageImportance.Low, "No libstdc++ found on this host; TorchSharp left as it is.");
            return true;
        }
        if (Contains(File.ReadAllBytes(host), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, host + " provides " + VersionName + "; no patch needed.");
            return true;
        }
        byte[] elf = File.ReadAllBytes(LibraryPath);
        int changed = Patch(elf);
        if (changed < 0)
        {
            Log.LogWarning(LibraryPath + ": no version need named " + VersionName + " found; TorchSharp may not load on this host.");
            return true;
        }
        if (changed > 0)
        {
            string temporary = LibraryPath + ".patching";
            File.WriteAllBytes(temporary, elf);
            // netstandard has no overwriting File.Move; Replace swaps the file in one step.
            File.Replace(temporary, LibraryPath, null);
            Log.LogMessage(MessageImportance.High, "Marked " + VersionName + " weak in " + LibraryPath + " (host libstdc++ is older; see build/TorchSharpLibstdcxxFix.targets).");
        }
        return true;
    }

    /// <summary>Returns the number of bytes changed, 0 when already patched, -1 when the version is absent.</summary>
    int Patch(byte[] elf)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException(LibraryPath + " is not a little-endian ELF64 file.");
        long shoff = BitConverter.ToInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);

        long verneedOffset = -1, versymOffset = -1, versymSize = 0, dynstrOffset = -1;
        int verneedCount = 0;
        for (int i = 0; i < shnum; i++)
        {
            int h = checked((int)(shoff + (long)i * shentsize));
            uint type = BitConverter.ToUInt32(elf, h + 4);
            long offset = BitConverter.ToInt64(elf, h + 24);
            long size = BitConverter.ToInt64(elf, h + 32);
            if (type == ShtGnuVerneed)
            {
                verneedOffset = offset;
                verneedCount = (int)BitConverter.ToUInt32(elf, h + 44);
                int link = (int)BitConverter.ToUInt32(elf, h + 40);
                dynstrOffset = BitConverter.ToInt64(elf, checked((int)(shoff + (long)link * shentsize)) + 24);
            }
            else if (type == ShtGnuVersym)
            {
                versymOffset = offset;
                versymSize = size;
            }
        }
        if (verneedOffset < 0 || versymOffset < 0) return -1;

        int changed = 0;
        long need = verneedOffset;
        for (int n = 0; n < verneedCount; n++)
        {
            int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
            long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
            for (int a = 0; a < auxCount; a++)
            {
                string name = ReadCString(elf, dynstrOffset + BitConverter.ToUInt32(elf, (int)aux + 8));
                if (name == VersionName)
                {
                    ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    ushort index = BitConverter.ToUInt16(elf, (int)aux + 6);
                    if ((flags & VerFlagWeak) == 0)
                    {
                        WriteUInt16(elf, aux + 4, (ushort)(flags | VerFlagWeak));
                        changed++;
                    }
                    for (long s = versymOffset; s + 2 <= versymOffset + versymSize; s += 2)
                    {
                        if ((BitConverter.ToUInt16(elf, (int)s) & 0x7fff) == index)
                        {
                            WriteUInt16(elf, s, VersymGlobal);
                            changed++;
                        }
                    }
                    return changed;
                }
                aux += BitConverter.ToUInt32(elf, (int)aux + 12);
            }
            need += BitConverter.ToUInt32(elf, (int)need + 12);
        }
        return -1;
    }

    static void WriteUInt16(byte[] bytes, long at, ushort value)
    {
        bytes[at] = (byte)value;
        bytes[at + 1] = (byte)(value >> 8);
    }

    static string ReadCString(byte[] bytes, long at)
    {
        long end = at;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, (int)(end - at));
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
