import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { declaredTypes, receiverAt } from '../../context/receiverType';
import { CURSOR as C, Workspace } from './contextHarness';

describe('the type of the receiver of a member access at the cursor', () => {
  test('receiver and declared types, by pattern', () => {
    assert.equal(receiverAt('  var r = client.Run();\n  response.Sta'), 'response');
    assert.equal(receiverAt('  node->'), 'node');
    assert.equal(receiverAt('  @url.ho'), '@url');
    assert.equal(receiverAt('  this.'), undefined);
    assert.equal(receiverAt('  x = 1 + '), undefined);
    assert.deepEqual(declaredTypes('RestResponse response = Get();\n', 'response'), ['RestResponse']);
    assert.deepEqual(declaredTypes('void f(const Buffer *b, int n) {', 'b'), ['Buffer']);
    assert.deepEqual(declaredTypes('var request = new RestRequest("a");', 'request'), ['RestRequest']);
    assert.deepEqual(declaredTypes('function f(opts: Options) {', 'opts'), ['Options']);
    assert.deepEqual(declaredTypes('c := &Command{Use: "x"}', 'c'), ['Command']);
    assert.deepEqual(declaredTypes('func run(cmd *Command, args []string) {', 'cmd'), ['Command']);
    assert.deepEqual(declaredTypes('@url = Addressable::URI.new(x)', '@url'), ['URI']);
    assert.deepEqual(declaredTypes('self.parser = Parser(rules)', 'parser'), ['Parser'], 'a constructor call where nothing else says');
    assert.deepEqual(declaredTypes('  return response;', 'response'), [], 'a keyword is no type');
  });

  test('after `x.` the members of the type x is declared with are in the prompt', async () => {
    const fields = (prefix: string) => Array.from({ length: 120 }, (_, i) => `    public int ${prefix}${i} { get; set; }`);
    const response = fields('Field');
    response.splice(30, 0, '    public int StatusCodeOfTheResponse { get; set; }');
    const ws = new Workspace();
    await ws.add({
      'Lib/Response.cs': `namespace Lib;\n\npublic class Response {\n${response.join('\n')}\n}\n`,
      'Lib/Other.cs': `namespace Lib;\n\npublic class Other {\n${fields('Unrelated').join('\n')}\n}\n`,
      'Lib/Third.cs': `namespace Lib;\n\npublic class Third {\n${fields('Elsewhere').join('\n')}\n}\n`,
    });
    const doc = await ws.open('App/Use.cs', `using Lib;\n\nclass Use {\n    int Go(Other o, Third t) {\n        Response response = Fetch(o, t);\n        return response.${C}\n    }\n}\n`);
    const prompt = (doc.request().request.context ?? []).map((s) => s.text).join('\n');
    assert.match(prompt, /public int StatusCodeOfTheResponse \{ get; set; \}/, 'shown in full, not only by name');
    const full = (prefix: string) => (prompt.match(new RegExp(`public int ${prefix}\\d+ \\{`, 'g')) ?? []).length;
    assert.ok(full('Field') > 30 && full('Unrelated') + full('Elsewhere') < 10, `the receiver's members first (${full('Field')}, ${full('Unrelated')}, ${full('Elsewhere')})`);
  });
});
