// Second Rust reference: compares every committed tokenizer and chat-token reference id list
// (made with Tokenizers.DotNet 1.4.1 = Hugging Face tokenizers 0.22) with the npm package
// `tokenizers` 0.23.2, Hugging Face's own Node binding of the same Rust library, and prints per
// fixture how many texts differ. Usage, from this folder:
//   npm pack tokenizers@0.23.2 && tar xzf tokenizers-0.23.2.tgz   (unpacks ./package)
//   node crosscheck.js REPOSITORY_ROOT TOKENIZERS_FOLDER
const fs = require('fs'), path = require('path');
const { Tokenizer } = require('./package');
const repo = process.argv[2], dir = process.argv[3];
async function main() {
  const cache = {};
  const load = n => cache[n] ??= Tokenizer.fromFile(path.join(dir, n, 'tokenizer.json'));
  let total = 0, differ = 0;
  const tokDir = path.join(repo, 'tests/GenRM.Tests/Fixtures/tokenizers');
  for (const f of fs.readdirSync(tokDir).filter(f => f.endsWith('.reference.json')).sort()) {
    const ref = JSON.parse(fs.readFileSync(path.join(tokDir, f)));
    const name = ref.tokenizer;
    const t = name.startsWith('synthetic') ? Tokenizer.fromFile(path.join(tokDir, name + '.tokenizer.json')) : load(name);
    let d = 0;
    for (const s of ref.samples) {
      const a = (await t.encode(s.text, null, { addSpecialTokens: false })).getIds();
      const b = (await t.encode(s.text, null, { addSpecialTokens: true })).getIds();
      if (JSON.stringify(a) !== JSON.stringify(s.ids) || JSON.stringify(b) !== JSON.stringify(s.ids_with_special_tokens)) { d++; if (d <= 2) console.log('  differs', name, JSON.stringify(s.text), JSON.stringify(a), JSON.stringify(s.ids)); }
    }
    console.log(`strings ${name}: ${ref.samples.length} compared, ${d} differ`); total += ref.samples.length; differ += d;
  }
  const chatDir = path.join(repo, 'tests/GenRM.Tests/Fixtures/chat-tokens');
  for (const f of fs.readdirSync(chatDir).filter(f => f.endsWith('.json')).sort()) {
    const fx = JSON.parse(fs.readFileSync(path.join(chatDir, f)));
    const t = load(fx.tokenizer);
    const pairs = [];
    for (const c of fx.cases) if (c.text !== undefined) pairs.push([c.text, c.ids]);
    for (const c of fx.training) if (c.whole !== undefined) { pairs.push([c.prompt, c.prompt_ids]); pairs.push([c.whole, c.whole_ids]); }
    let d = 0;
    for (const [text, ids] of pairs) {
      const a = (await t.encode(text, null, { addSpecialTokens: false })).getIds();
      if (JSON.stringify(a) !== JSON.stringify(ids)) { d++; if (d <= 2) console.log('  differs', fx.family, JSON.stringify(text).slice(0, 200)); }
    }
    console.log(`chats ${fx.family}: ${pairs.length} texts compared, ${d} differ`); total += pairs.length; differ += d;
  }
  console.log(`total ${total}, differ ${differ}`);
}
main();
