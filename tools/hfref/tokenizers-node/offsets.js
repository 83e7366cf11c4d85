// Token offsets reference: for every tokenizer reference fixture (Fixtures/tokenizers/<name>.reference.json),
// the offsets Hugging Face's Rust library (npm `tokenizers` 0.23.2, its Node binding) gives each sample's
// tokens without special tokens, in characters (code points: what transformers' offset_mapping and
// char_to_token count in), written to <name>.offsets.json beside it, one sample per line, flattened as
// [start0, end0, start1, end1, ...]. A tokenizer whose file is absent is skipped. Usage, from this folder
// (with ./package unpacked as crosscheck.js says):
//   node offsets.js REPOSITORY_ROOT TOKENIZERS_FOLDER
const fs = require('fs'), path = require('path'), crypto = require('crypto');
const { Tokenizer } = require('./package');
const [repo, dir] = process.argv.slice(2);
async function main() {
  const tokDir = path.join(repo, 'tests/GenRM.Tests/Fixtures/tokenizers');
  for (const f of fs.readdirSync(tokDir).filter(f => f.endsWith('.reference.json')).sort()) {
    const ref = JSON.parse(fs.readFileSync(path.join(tokDir, f)));
    const name = ref.tokenizer;
    const file = name.startsWith('synthetic') ? path.join(tokDir, name + '.tokenizer.json') : path.join(dir, name, 'tokenizer.json');
    if (!fs.existsSync(file)) { console.log(`${name}: skipped, ${file} is absent`); continue; }
    const sha256 = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    if (sha256 !== ref.sha256) throw new Error(`${file} is not the file ${f} was made from`);
    const t = Tokenizer.fromFile(file);
    const lines = [];
    let differ = 0;
    for (const s of ref.samples) {
      const encoding = await t.encode(s.text, null, { addSpecialTokens: false });
      if (JSON.stringify(encoding.getIds()) !== JSON.stringify(s.ids)) differ++;
      lines.push(JSON.stringify(encoding.getOffsets().flat()));
    }
    const head = { tokenizer: name, sha256, library: 'npm tokenizers 0.23.2 (Hugging Face tokenizers, Node binding)', unit: 'code points' };
    const text = JSON.stringify(head).slice(0, -1) + ',"offsets":[\n' + lines.join(',\n') + '\n]}\n';
    fs.writeFileSync(path.join(tokDir, name + '.offsets.json'), text);
    console.log(`${name}: ${ref.samples.length} samples, ids differ from the reference on ${differ}`);
  }
}
main();
