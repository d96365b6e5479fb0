#!/usr/bin/python3
"""Conformance probe: kolla-render versus Python Jinja2 3.1.

A testing tool, not a CTest test. Runs several hundred small templates,
family by family over the Jinja2 Template Designer Documentation and the
kolla-render CLI contract, through both our binary and a Python oracle
(jinja2.sandbox.SandboxedEnvironment with a FileSystemLoader on the same
search path, the same context and options) and prints every disagreement
with its template, context, options and both outputs repr'd.

Compared: stdout byte for byte and exit status on success; on error, exit
status and the error class name (first word before ':' on stderr).

usage: conformance_probe.py [--binary PATH] [--family NAME]... [-v]
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import jinja2
import jinja2.sandbox
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_BIN = os.path.join(HERE, '..', '..', 'build', 'kolla-render')

# Context shared by most cases (passed as a JSON --context file).
BASE = {
    's': 'Hello World', 'n': 42, 'f': 3.5, 'z': 0, 'one_f': 1.0,
    'l': [3, 1, 2], 'd': {'b': 1, 'a': 2}, 'u': 'h\u00e9llo w\u00f6rld',
    'e': '', 'none': None, 't': True, 'fa': False,
    'html': "<a href='x'>&\"</a>", 'neg': -7, 'fl': [1.5, 2.5],
    'users': [{'name': 'bob', 'age': 30}, {'name': 'alice', 'age': 25},
              {'name': 'Carol', 'age': 30}],
    'words': ['b', 'A', 'c', 'a'], 'nested': [[1, 2], [3, [4, 5]]],
    'mixed': [1, 'a', None, True, 2.5], 'sp': '  pad  ',
    'emoji': '\U0001F600x', 'cjk': '\u65e5\u672c\u8a9e',
}

OPTS = {'--trim-blocks': 'trim_blocks', '--lstrip-blocks': 'lstrip_blocks',
        '--keep-trailing-newline': 'keep_trailing_newline'}


class Case:
    def __init__(self, family, tpl, ctx=None, opts=(), files=None,
                 base=True, args=None, stdin=None, oracle=None, note=''):
        self.family = family
        self.tpl = tpl
        self.ctx = ctx
        self.opts = tuple(opts)
        self.files = files or {}
        self.base = base
        self.args = args        # raw CLI args (CLI family), list
        self.stdin = stdin
        self.oracle = oracle    # callable(tmpdir) -> (rc, out, errclass)
        self.note = note


def make_env(search, opts):
    kw = {}
    for o in opts:
        if o in OPTS:
            kw[OPTS[o]] = True
    if '--strict-undefined' in opts:
        kw['undefined'] = jinja2.StrictUndefined
    if '--autoescape' in opts:
        kw['autoescape'] = True
    return jinja2.sandbox.SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search), **kw)


def py_render(search, name, ctx, opts, source=None):
    """Returns (rc, stdout, error class)."""
    try:
        env = make_env(search, opts)
        if source is not None:
            t = env.from_string(source)
        else:
            t = env.get_template(name)
        return 0, t.render(ctx), ''
    except Exception as e:  # noqa: BLE001 - any error is a result here
        return 1, '', type(e).__name__


def run_ours(binary, args, cwd, stdin=None):
    p = subprocess.run([binary] + args, cwd=cwd, capture_output=True,
                       input=(stdin or '').encode(), timeout=20)
    out = p.stdout.decode('utf-8', 'surrogateescape')
    err = p.stderr.decode('utf-8', 'surrogateescape')
    cls = ''
    if p.returncode != 0:
        first = err.strip().splitlines()[0] if err.strip() else ''
        # The contract says 'ClassName: message' with the location; ours
        # prints 'name:line:col: ClassName: message', so take the first
        # capitalised identifier followed by ': ' (report order separately).
        m = re.search(r'(?:^|\s)(?:[\w]+\.)*([A-Z]\w*): ', first)
        cls = m.group(1) if m else first
    return p.returncode, out, cls, err


def run_case(binary, c, tmp):
    d = tempfile.mkdtemp(dir=tmp)
    files = dict(c.files)
    if c.tpl is not None:
        files.setdefault('main.j2', c.tpl)
    for name, text in files.items():
        path = os.path.join(d, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w', encoding='utf-8', newline='') as fh:
            fh.write(text)
    if c.args is not None:
        args = list(c.args)
        ours = run_ours(binary, args, d, c.stdin)
        theirs = c.oracle(d)
        return ours, theirs
    ctx = dict(BASE) if c.base else {}
    if c.ctx:
        ctx.update(c.ctx)
    with open(os.path.join(d, 'ctx.json'), 'w', encoding='utf-8') as fh:
        json.dump(ctx, fh, ensure_ascii=False)
    args = ['--search-path', d, '--context', os.path.join(d, 'ctx.json')]
    args += list(c.opts) + ['main.j2']
    ours = run_ours(binary, args, d)
    with open(os.path.join(d, 'ctx.json'), encoding='utf-8') as fh:
        pctx = json.load(fh)
    theirs = py_render([d], 'main.j2', pctx, c.opts)
    return ours, theirs


ADDR = re.compile(r' at 0x[0-9a-f]+')


def same(ours, theirs):
    rc, out, cls, _ = ours
    prc, pout, pcls = theirs
    if rc != prc:
        return False
    if rc == 0:
        # Object addresses differ between runs (doc/tmpl-unsupported.md).
        return ADDR.sub('', out) == ADDR.sub('', pout)
    return cls == pcls


# --------------------------------------------------------------------------
# Case families.

CASES = []


def fam(name):
    def add(tpl, **kw):
        CASES.append(Case(name, tpl, **kw))
    return add


# ---- literals and integer/float edge values
A = fam('literals')
for t in ['{{ 1 }}', '{{ -1 }}', '{{ 1_000 }}', '{{ 0x1F }}', '{{ 0o17 }}',
          '{{ 0b101 }}', '{{ 1.5e3 }}', '{{ 1e-7 }}', '{{ 1E10 }}',
          '{{ 1.0 }}', '{{ 0.1 + 0.2 }}', '{{ 1/3 }}', '{{ 2.0 ** 0.5 }}',
          '{{ 1e16 }}', '{{ 1e15 }}', '{{ 123456789012345678.0 }}',
          '{{ 1.5e300 * 1e10 }}', '{{ -(1.5e300 * 1e10) }}',
          '{{ 9223372036854775807 }}', '{{ -9223372036854775807 - 1 }}',
          '{{ 0.0 }}', '{{ -0.0 }}', '{{ 1_0.5_0 }}', '{{ .5 }}',
          '{{ 5. }}', '{{ "a" "b" }}', "{{ 'it''s' }}", '{{ "\\n\\t\\x41\\u00e9" }}',
          "{{ 'a\\'b' }}", '{{ "\\\\" }}', '{{ r"raw" }}',
          '{{ true }}', '{{ True }}', '{{ false }}', '{{ none }}',
          '{{ None }}', '{{ [1, 2,] }}', '{{ (1,) }}', '{{ (1, 2) }}',
          '{{ () }}', '{{ {} }}', "{{ {'a': 1, 'b': [2]} }}",
          "{{ {'a': 1, 'a': 2} }}", '{{ [] }}', "{{ ['a', \"b'\"] }}",
          '{{ 1, 2 }}', "{{ {1: 'x', 2.5: none, true: 1} }}",
          "{{ 'caf\u00e9' }}", '{{ "\U0001F600" }}', '{{ 3 if 1 }}x',
          '{{ 1e100 }}', '{{ 12345678.9 }}', '{{ 1e-5 }}', '{{ 0.0001 }}',
          '{{ 100.0 / 3 }}', '{{ 2 ** 62 }}', '{{ 2 ** -1 }}',
          '{{ 7 // -2 }}', '{{ -7 % 3 }}', '{{ 7 % -3 }}', '{{ -7.5 // 2 }}',
          '{{ 7.5 % 2 }}', '{{ -7.5 % 2 }}', '{{ 1 / 0 }}', '{{ 1 // 0 }}',
          '{{ 1 % 0 }}', '{{ 1.0 / 0 }}', '{{ 0 ** 0 }}', '{{ 0 ** -1 }}',
          '{{ 2 ** 0.5 }}', '{{ 10 ** 18 }}', '{{ 4 ** 0.5 }}',
          '{{ 9223372036854775807 + 0.0 }}', '{{ 2 ** 53 + 1.0 }}',
          '{{ one_f }}', '{{ one_f == 1 }}', '{{ one_f is integer }}',
          '{{ one_f is float }}', '{{ 3 * 1.0 }}', '{{ 1e22 }}', '{{ 1e21 }}',
          '{{ 123456789.123456789 }}', '{{ 5e-324 }}', '{{ 1.7976931348623157e308 }}',
          '{{ (0.1).__class__ }}', '{{ 1 + true }}', '{{ true + true }}',
          '{{ n / 2 }}', '{{ n // 5 }}', '{{ -n }}', '{{ +n }}',
          '{{ --n }}', '{{ not n }}', '{{ f * 2 }}']:
    A(t)

# ---- operators and expressions
A = fam('operators')
for t in ['{{ 1 + 2 * 3 }}', '{{ (1 + 2) * 3 }}', '{{ 2 ** 3 ** 2 }}',
          '{{ -2 ** 2 }}', "{{ 'a' ~ 1 ~ none ~ true }}", "{{ 'ab' * 3 }}",
          "{{ 3 * 'ab' }}", "{{ [1] * 3 }}", "{{ 'a' + 'b' }}",
          "{{ [1] + [2] }}", "{{ (1,) + (2,) }}", "{{ 'a' + 1 }}",
          "{{ [1] + (2,) }}", "{{ 'a' - 'b' }}", "{{ 'a' * -1 }}",
          '{{ 1 < 2 < 3 }}', '{{ 1 < 2 > 3 }}', '{{ 1 == 1.0 }}',
          "{{ 'a' < 'b' }}", "{{ [1,2] < [1,3] }}", "{{ 1 < 'a' }}",
          "{{ none < 1 }}", '{{ 1 != 2 }}', "{{ 'b' in 'abc' }}",
          "{{ 'x' not in 'abc' }}", '{{ 2 in l }}', "{{ 'a' in d }}",
          "{{ 1 in 'abc' }}", '{{ not 1 in l }}', '{{ not (1 in l) }}',
          '{{ 1 and 2 }}', '{{ 0 and 2 }}', '{{ 0 or "" }}', '{{ none or 3 }}',
          "{{ '' or [] or {} }}", '{{ 1 if 0 else 2 }}', '{{ "y" if t }}',
          '{{ 1 if 0 else 2 if 0 else 3 }}', '{{ l[0] }}', '{{ l[-1] }}',
          '{{ l[5] }}', "{{ d['a'] }}", '{{ d.a }}', "{{ d['zz'] }}",
          '{{ d.zz }}', '{{ s.upper }}', '{{ l.0 }}', '{{ nested[1][1][0] }}',
          '{{ nested.1.1.0 }}', '{{ users[0].name }}', "{{ users[0]['name'] }}",
          '{{ (l)[1] }}', '{{ "abc"[1] }}', '{{ "abc".1 }}',
          "{{ {'a': 1}.a }}", '{{ [1, 2][t] }}', "{{ d[none] }}",
          '{{ 1 is odd and 2 is even }}', '{{ none is none }}',
          '{{ (1 < 2) == true }}', '{{ 1 + 2 | string }}',
          '{{ -1 | abs }}', '{{ -l | length }}', '{{ not t | string }}',
          "{{ 'a' ~ 'b' | upper }}", '{{ 2 * 3 | string }}',
          '{{ t == 1 }}', '{{ fa == 0 }}', '{{ [1,2] == [1,2] }}',
          '{{ (1,2) == [1,2] }}', "{{ {'a':1} == {'a':1} }}",
          '{{ 1 < none }}', '{{ nothere }}', '{{ nothere.x }}',
          '{{ nothere | default("dflt") }}', '{{ nothere is defined }}',
          '{{ (nothere) ~ "x" }}', '{{ nothere + 1 }}', '{{ nothere[0] }}',
          '{{ none.x }}', '{{ s.nothere }}', '{{ nothere() }}',
          '{{ l() }}', '{{ s.__class__ }}', '{{ s.__len__() }}',
          '{{ l.__class__.__mro__ }}', '{{ d.__getitem__("a") }}',
          "{{ ''.join }}", '{{ 5 in none }}', '{{ "%s" % nothere }}',
          '{% if nothere %}y{% else %}n{% endif %}',
          '{% for x in nothere %}x{% endfor %}e',
          '{{ nothere | length }}', '{{ nothere | list }}',
          '{{ 3 > 2 > 1 > 0 }}', '{{ 2 in [1, 2] in [[1, 2]] }}']:
    A(t)
for t in ['{{ nothere }}', '{{ nothere is defined }}', '{{ nothere.x }}',
          '{% if nothere %}y{% endif %}', '{{ nothere | default(1) }}',
          '{% for x in nothere %}{% endfor %}', '{{ d.zz }}',
          '{{ nothere ~ "" }}', '{{ nothere | string }}', '{{ none.x }}',
          '{{ nothere == nothere }}', '{{ d.zz is defined }}',
          '{{ d.zz | default("k") }}']:
    A(t, opts=['--strict-undefined'])

# ---- builtin filters with keyword arguments and edge values
A = fam('filters')
FILTERS = [
    # abs, attr
    '{{ -3 | abs }}', '{{ -3.5 | abs }}', '{{ "x" | abs }}', '{{ t | abs }}',
    '{{ users[0] | attr("name") }}', '{{ s | attr("upper") }}',
    '{{ d | attr("a") }}', '{{ s | attr("__class__") }}',
    # batch
    '{{ l | batch(2) | list }}', "{{ l | batch(2, 'x') | list }}",
    '{{ [] | batch(2) | list }}', '{{ l | batch(1) | list }}',
    "{{ range(7) | batch(3, fill_with=0) | list }}",
    '{{ l | batch(0) | list }}',
    # capitalize, center
    "{{ 'hELLO wORLD' | capitalize }}", "{{ '' | capitalize }}",
    "{{ '123abc' | capitalize }}", "{{ u | capitalize }}",
    "{{ 'ab' | center(7) }}", "{{ 'ab' | center(width=6) }}",
    "{{ 'abc' | center(2) }}", "{{ 'ab' | center }}",
    "{{ 'abc' | center(6) }}",
    # count, default
    '{{ l | count }}', "{{ 'abc' | count }}", '{{ d | count }}',
    "{{ none | default('x') }}", "{{ '' | default('x') }}",
    "{{ '' | default('x', true) }}", "{{ 0 | default('x', boolean=true) }}",
    "{{ nothere | d('y') }}", "{{ nothere | default }}",
    "{{ fa | default('x', true) }}",
    # dictsort
    '{{ d | dictsort }}', '{{ d | dictsort(reverse=true) }}',
    "{{ {'b': 2, 'A': 3, 'a': 1} | dictsort }}",
    "{{ {'b': 2, 'A': 3, 'a': 1} | dictsort(case_sensitive=true) }}",
    "{{ {'x': 2, 'y': 1} | dictsort(by='value') }}",
    "{{ {'x': 2, 'y': 1} | dictsort(false, 'value', true) }}",
    "{{ d | dictsort(by='nope') }}", '{{ l | dictsort }}',
    # escape, e, forceescape
    '{{ html | escape }}', '{{ html | e }}', '{{ "x" | e | e }}',
    '{{ html | forceescape }}', '{{ 5 | escape }}', '{{ none | e }}',
    # filesizeformat
    '{{ 0 | filesizeformat }}', '{{ 1 | filesizeformat }}',
    '{{ 1000 | filesizeformat }}', '{{ 1024 | filesizeformat(true) }}',
    '{{ 1500000 | filesizeformat }}', '{{ 1500000 | filesizeformat(binary=true) }}',
    '{{ 10 ** 15 | filesizeformat }}', '{{ 1e30 | filesizeformat }}',
    '{{ -2000 | filesizeformat }}', '{{ "2048" | filesizeformat }}',
    '{{ 999.5 | filesizeformat }}',
    # first, last, float, int
    '{{ l | first }}', '{{ [] | first }}', "{{ 'abc' | first }}",
    '{{ l | last }}', "{{ 'abc' | last }}", '{{ [] | last }}',
    "{{ '3.5' | float }}", "{{ 'x' | float }}", "{{ 'x' | float(1.5) }}",
    "{{ 'x' | float(default=2) }}", '{{ 3 | float }}', "{{ ' 2.5 ' | float }}",
    "{{ 'inf' | float }}", "{{ 'nan' | float }}", "{{ '1e3' | float }}",
    "{{ none | float }}", "{{ '1_000.5' | float }}",
    "{{ '42' | int }}", "{{ '4.7' | int }}", '{{ 4.7 | int }}', '{{ -4.7 | int }}',
    "{{ 'x' | int }}", "{{ 'x' | int(5) }}", "{{ '0x1A' | int(0, 16) }}",
    "{{ '1A' | int(base=16) }}", "{{ '0b11' | int(0, 0) }}",
    "{{ '0o17' | int(base=8) }}", "{{ '0x1A' | int(base=0) }}", "{{ ' 7 ' | int }}",
    "{{ '1_000' | int }}", "{{ true | int }}", "{{ none | int }}", "{{ '+5' | int }}",
    "{{ '-0' | int }}", "{{ '1e3' | int }}", "{{ 'z' | int(base=36) }}",
    # format
    "{{ '%s-%s' | format(1, 2) }}", "{{ '%(a)s' | format(a=1) }}",
    "{{ '%d' | format('x') }}", "{{ '%5.2f|' | format(3.14159) }}",
    "{{ '%x %o %e %r' | format(255, 8, 12345.678, 'q') }}",
    "{{ '%s' | format(l) }}", "{{ '%%' | format() }}",
    # groupby
    "{% for g in users | groupby('age') %}{{ g.grouper }}:{{ g.list | map(attribute='name') | join(',') }};{% endfor %}",
    "{% for k, v in users | groupby('age', reverse=true) %}{{ k }}={{ v | length }};{% endfor %}",
    "{{ users | groupby('age') | list }}",
    "{% for g in users | groupby('name', case_sensitive=true) %}{{ g.grouper }};{% endfor %}",
    "{% for g in users | groupby('name') %}{{ g.grouper }};{% endfor %}",
    "{{ users | groupby('zz', default='none') | list }}",
    "{{ users | groupby('zz') | list }}",
    "{{ [[1,'a'],[0,'b'],[1,'c']] | groupby(0) | list }}",
    # indent
    "{{ 'a\\nb\\n\\nc' | indent }}", "{{ 'a\\nb' | indent(2, true) }}",
    "{{ 'a\\n\\nb' | indent(2, blank=true) }}", "{{ 'a\\nb' | indent('--') }}",
    "{{ 'a\\nb\\n' | indent(first=true) }}", "{{ '' | indent(first=true) }}",
    "{{ 'a\\r\\nb' | indent }}",
    # items
    '{{ d | items | list }}', '{{ none | items | list }}', '{{ l | items }}',
    # join
    "{{ l | join }}", "{{ l | join(', ') }}", "{{ users | join(',', attribute='name') }}",
    "{{ [1, none, 'a'] | join('-') }}", "{{ 'abc' | join('.') }}",
    "{{ d | join(',') }}", "{{ [html, 'b'] | join(' ') }}",
    # length, list, lower, map
    '{{ s | length }}', '{{ u | length }}', '{{ emoji | length }}',
    "{{ 'abc' | list }}", '{{ d | list }}', '{{ none | list }}',
    "{{ 'ÀB' | lower }}", "{{ l | map('string') | list }}",
    "{{ users | map(attribute='name') | list }}",
    "{{ users | map(attribute='zz', default='?') | list }}",
    "{{ users | map(attribute='zz') | list }}",
    "{{ l | map('add', 1) | list }}",
    "{{ ['a', 'b'] | map('upper') | list }}",
    "{{ ['x'] | map('center', 5) | list }}",
    "{{ [[1,2],[3]] | map('length') | list }}",
    "{{ [[1,2],[3]] | map(attribute='0') | list }}",
    "{{ l | map('int') | sum }}", "{{ l | map }}",
    # max, min
    '{{ l | max }}', '{{ l | min }}', '{{ words | max }}', '{{ words | min }}',
    '{{ words | max(case_sensitive=true) }}', "{{ users | max(attribute='age') }}",
    "{{ users | min(attribute='name') }}", '{{ [] | max }}', '{{ mixed | max }}',
    # pprint
    '{{ d | pprint }}', '{{ l | pprint }}', "{{ 'x' | pprint }}", '{{ none | pprint }}',
    '{{ users | pprint }}', '{{ 1.0 | pprint }}', '{{ (1,) | pprint }}',
    # reject, rejectattr, select, selectattr
    "{{ range(6) | reject('odd') | list }}", "{{ range(6) | select('odd') | list }}",
    "{{ mixed | select | list }}", "{{ mixed | reject | list }}",
    "{{ range(6) | select('gt', 2) | list }}", "{{ range(6) | select('in', [1,4]) | list }}",
    "{{ users | selectattr('age', 'eq', 30) | map(attribute='name') | list }}",
    "{{ users | rejectattr('age', '>', 26) | list }}",
    "{{ users | selectattr('name') | list | length }}",
    "{{ users | selectattr('zz') | list }}",
    "{{ range(3) | select('nosuchtest') | list }}",
    "{{ ['a', 'B'] | select('lower') | list }}",
    "{{ ['a', 'B'] | select('upper') | list }}",
    # replace, reverse, round
    "{{ 'aaa' | replace('a', 'b') }}", "{{ 'aaa' | replace('a', 'b', 2) }}",
    "{{ 'aaa' | replace('a', 'b', count=1) }}", "{{ 'abc' | replace('', '-') }}",
    "{{ html | replace('<', 'x') }}", "{{ 5 | replace('5', '6') }}",
    "{{ 'abc' | reverse }}", '{{ l | reverse | list }}', '{{ l | reverse }}',
    '{{ 5 | reverse }}', '{{ d | reverse | list }}',
    '{{ 2.5 | round }}', '{{ 3.5 | round }}', '{{ 2.675 | round(2) }}',
    "{{ 2.1 | round(0, 'ceil') }}", "{{ 2.9 | round(method='floor') }}",
    "{{ -2.5 | round }}", '{{ 42 | round }}', "{{ 42 | round(-1) }}",
    "{{ 1234.5678 | round(-2) }}", "{{ 2.5 | round(method='x') }}",
    "{{ 1.0 | round | int }}", "{{ 0.5 | round(0, 'ceil') }}",
    "{{ 15 | round(-1, 'floor') }}", "{{ 'x' | round }}",
    # safe, slice, sort
    '{{ html | safe }}', "{{ l | slice(2) | list }}", "{{ range(10) | slice(3) | list }}",
    "{{ range(10) | slice(3, 'x') | list }}", "{{ range(10) | slice(4, fill_with=0) | list }}",
    "{{ [] | slice(2) | list }}", "{{ range(2) | slice(4) | list }}",
    '{{ l | sort }}', '{{ l | sort(reverse=true) }}', '{{ words | sort }}',
    '{{ words | sort(case_sensitive=true) }}', "{{ users | sort(attribute='age') | map(attribute='name') | list }}",
    "{{ users | sort(attribute='age,name') | map(attribute='name') | list }}",
    "{{ users | sort(attribute='age, name', reverse=true) | map(attribute='name') | list }}",
    '{{ mixed | sort }}', "{{ 'cab' | sort }}", '{{ d | sort }}', '{{ fl | sort(true) }}',
    # string, striptags, sum, title, tojson, trim, truncate
    '{{ l | string }}', '{{ none | string }}', "{{ 1.0 | string }}", "{{ html | string }}",
    "{{ '<p>a  <b>b</b>\\n c</p>&amp; &lt; &#39;' | striptags }}",
    "{{ 'a<!-- x -->b' | striptags }}", "{{ '<br/>x<br />' | striptags }}",
    '{{ l | sum }}', '{{ l | sum(start=10) }}', "{{ users | sum(attribute='age') }}",
    '{{ fl | sum }}', "{{ [] | sum }}", "{{ ['a'] | sum }}", "{{ [[1],[2]] | sum(start=[]) }}",
    "{{ 'hello wORLD-foo bar_baz' | title }}", "{{ \"it's o'neil\" | title }}",
    "{{ 'a1b2 c3' | title }}", "{{ '  x  ' | title }}", "{{ '(abc) [def]' | title }}",
    "{{ d | tojson }}", "{{ l | tojson }}", "{{ html | tojson }}", "{{ none | tojson }}",
    "{{ u | tojson }}", "{{ 1.0 | tojson }}", "{{ {'a': [1, {'b': none}]} | tojson(indent=2) }}",
    "{{ d | tojson(2) }}", "{{ \"'&\" | tojson }}", "{{ emoji | tojson }}",
    "{{ {'b': 1, 'a': 2} | tojson }}", "{{ {1: 2} | tojson }}", "{{ 1e100 | tojson }}",
    "{{ sp | trim }}", "{{ 'xxaxx' | trim('x') }}", "{{ 'xyaxy' | trim(chars='xy') }}",
    "{{ '\\t\\n a \\r' | trim }}",
    "{{ 'foo bar baz qux' | truncate(9) }}", "{{ 'foo bar baz qux' | truncate(9, true) }}",
    "{{ 'foo bar baz qux' | truncate(11, end='!') }}", "{{ 'foo bar' | truncate(9) }}",
    "{{ 'foo bar baz qux' | truncate(255) }}", "{{ 'foo bar baz' | truncate(10, leeway=0) }}",
    "{{ 'foo bar baz' | truncate(5, false, '...', 0) }}", "{{ 'abcdefghij' | truncate(3) }}",
    "{{ 'foobarbazqux' | truncate(5, killwords=false, leeway=0) }}",
    # unique, upper, urlencode, wordcount, wordwrap, xmlattr
    "{{ ['a', 'A', 'b', 'a'] | unique | list }}", "{{ ['a', 'A'] | unique(true) | list }}",
    "{{ users | unique(attribute='age') | map(attribute='name') | list }}",
    "{{ [1, 1.0, true] | unique | list }}", "{{ 'hello' | upper }}", "{{ u | upper }}",
    "{{ 'a b&c/d?é' | urlencode }}", "{{ d | urlencode }}", "{{ [('a b', 'c&d')] | urlencode }}",
    "{{ 5 | urlencode }}", "{{ '/~_.-' | urlencode }}", "{{ {'q': 'x y', 'n': 1} | urlencode }}",
    "{{ 'a b  c\\nd' | wordcount }}", "{{ 'foo-bar, baz' | wordcount }}", "{{ '' | wordcount }}",
    "{{ 'aaa bbb ccc ddd' | wordwrap(7) }}", "{{ 'aaaaaaaaaa bb' | wordwrap(4) }}",
    "{{ 'aaaaaaaaaa bb' | wordwrap(4, false) }}", "{{ 'a b c d' | wordwrap(3, wrapstring='|') }}",
    "{{ 'a\\n\\nb c d e' | wordwrap(3) }}",
    "{{ {'class': 'x', 'id': none, 'data': '<&>'} | xmlattr }}",
    "{{ {'a': 1} | xmlattr(false) }}", "{{ {'a b': 1} | xmlattr }}", "{{ {} | xmlattr }}",
    "{{ {'k': true, 'u': nothere} | xmlattr }}",
    # unknown filter, filter on undefined, string on markup
    '{{ 1 | nosuchfilter }}', '{{ l | length(1) }}', '{{ l | join(1, 2, 3) }}',
    "{{ l | sort(foo=1) }}", "{{ 'x' | center('a') }}",
    '{{ l | batch }}', "{{ 'abc' | truncate(-1) }}",
]
for t in FILTERS:
    A(t)
for t in ["{{ html | forceescape }}", "{{ html | safe | forceescape }}",
          "{{ html | e }}", "{{ html | safe }}", "{{ html | safe | e }}",
          "{{ html | replace('x', '<b>') }}", "{{ html | safe | replace('a', '<') }}",
          "{{ html | safe | replace('a', '<' | safe) }}",
          "{{ [html, 'b'] | join('<br>') }}", "{{ [html | safe, 'b'] | join('<br>' | safe) }}",
          "{{ html | striptags }}", "{{ html | truncate(5) }}", "{{ html | tojson }}",
          "{{ html | upper }}", "{{ html | safe | upper }}", "{{ html | safe | title }}",
          "{{ html | safe | center(30) }}", "{{ html | safe | indent(2) }}",
          "{{ '%s<b>' | format(html) }}", "{{ ('%s<b>' | safe) | format(html) }}",
          "{{ ('%s<b>' | safe) % html }}", "{{ ('%s' | safe) % (html,) }}",
          "{{ ('{0}<b>' | safe).format(html) }}", "{{ '{0}'.format(html) }}",
          "{{ html | safe ~ html }}", "{{ html ~ html | safe }}",
          "{{ (html | safe) + '<' }}", "{{ '<' + (html | safe) }}",
          "{{ (html | safe) * 2 }}", "{{ html | safe | length }}",
          "{{ (html | safe)[0] }}", "{{ (html | safe)[:3] }}",
          "{{ (html | safe).split('=') }}", "{{ (html | safe).upper() }}",
          "{{ (html | safe).strip() }}", "{{ (html | safe).replace('a', '<') }}",
          "{{ ('a<b>' | safe).striptags() }}", "{{ ('&lt;x&gt;' | safe).unescape() }}",
          "{{ l | xmlattr }}", "{{ {'a': '<\"'} | xmlattr }}",
          "{{ d | pprint }}", "{{ '<x>' | pprint }}", "{{ html | wordwrap(5) }}",
          "{{ html | urlencode }}", "{{ html | list | first }}",
          "{{ html | reverse }}", "{{ html | safe | reverse }}",
          "{{ html | format }}", "{{ 5 }}{{ none }}{{ true }}",
          "{{ html | safe | trim }}", "{{ html | capitalize }}",
          "{{ html | safe | capitalize }}", "{{ html | safe | escape | escape }}",
          "{% set x = '<i>' %}{{ x }}{{ x | safe }}", "{% set x %}<i>{{ html }}{% endset %}{{ x }}",
          "{% macro m() %}<i>{{ html }}{% endmacro %}{{ m() }}{{ m() | e }}",
          "{% autoescape false %}{{ html }}{% endautoescape %}{{ html }}",
          "{{ html | sort | join }}", "{{ [html] }}", "{{ {'k': html} }}",
          "{{ html | attr('upper') }}", "{{ html is escaped }}", "{{ (html | safe) is escaped }}",
          "{{ html | safe | string | e }}", "{{ html | string | e }}",
          "{{ (html | safe) == html }}", "{{ ('a' | safe) == 'a' }}",
          "{{ (html|safe) in ['<a'] }}", "{{ 'x' ~ ('<' | safe) }}",
          "{{ html | first }}", "{{ html | max }}", "{{ html | unique | list | length }}"]:
    A(t, opts=['--autoescape'])
for t in ["{% autoescape true %}{{ html }}{% endautoescape %}{{ html }}",
          "{% autoescape true %}{{ html | safe }}{{ '<' ~ html }}{% endautoescape %}",
          "{{ html | forceescape }}", "{{ html is escaped }}", "{{ (html | e) is escaped }}",
          "{{ html | e | safe }}", "{{ (html | e) ~ '<' }}", "{{ (html | e) + '<' }}",
          "{{ (html | e).__html__() }}", "{% autoescape true %}{% set x = '<' %}{{ x }}{% endautoescape %}",
          "{% autoescape true %}{{ '%s' | format('<') }}{% endautoescape %}",
          "{% autoescape t %}{{ html }}{% endautoescape %}"]:
    A(t)

# ---- tests
A = fam('tests')
for t in ['{{ 1 is odd }}', '{{ 2 is even }}', '{{ 2.0 is even }}', '{{ "x" is odd }}',
          '{{ 6 is divisibleby 3 }}', '{{ 6 is divisibleby(4) }}', '{{ 6 is divisibleby 0 }}',
          '{{ n is defined }}', '{{ nothere is undefined }}', '{{ none is none }}',
          '{{ 1 is number }}', '{{ 1.5 is number }}', '{{ t is number }}', '{{ "1" is number }}',
          '{{ t is boolean }}', '{{ 1 is boolean }}', '{{ t is true }}', '{{ 1 is true }}',
          '{{ fa is false }}', '{{ 0 is false }}', '{{ 1 is integer }}', '{{ t is integer }}',
          '{{ 1.0 is integer }}', '{{ 1.0 is float }}', '{{ 1 is float }}',
          '{{ s is string }}', '{{ html is string }}', '{{ l is sequence }}', '{{ s is sequence }}',
          '{{ d is sequence }}', '{{ 1 is sequence }}', '{{ d is mapping }}', '{{ l is mapping }}',
          '{{ l is iterable }}', '{{ s is iterable }}', '{{ 1 is iterable }}',
          '{{ range(3) is iterable }}', '{{ "a" is lower }}', '{{ "A" is lower }}', '{{ "A1" is upper }}',
          '{{ "" is upper }}', '{{ "1" is lower }}', '{{ s is callable }}', '{{ s.upper is callable }}',
          '{{ range is callable }}', '{{ 1 is sameas 1 }}', '{{ none is sameas none }}',
          '{{ l is sameas l }}', '{{ [1] is sameas [1] }}', '{{ "a" is sameas "a" }}',
          '{{ 1 is eq 1 }}', '{{ 1 is equalto 1 }}', '{{ 1 is ne 2 }}', '{{ 1 is lt 2 }}',
          '{{ 1 is lessthan 2 }}', '{{ 2 is le 2 }}', '{{ 3 is gt 2 }}', '{{ 3 is greaterthan 2 }}',
          '{{ 2 is ge 3 }}', '{{ 2 is in l }}', '{{ "a" is in "abc" }}', '{{ 1 is in d }}',
          '{{ s is escaped }}', '{{ "upper" is filter }}', '{{ "nosuch" is filter }}',
          '{{ "odd" is test }}', '{{ "nosuch" is test }}', '{{ 1 is not odd }}',
          '{{ not 1 is odd }}', '{{ 1 is nosuchtest }}', '{{ 3 is divisibleby 1.5 }}',
          '{{ "b" is gt "a" }}', '{{ nothere is none }}', '{{ nothere is odd }}',
          '{{ 1 is defined is true }}', '{{ x is defined }}{% set x = 1 %}',
          '{{ (1 is odd) ~ "" }}', '{{ l|length is even }}', '{{ "abc" is sequence }}',
          '{{ users[0] is mapping }}', '{{ (1,2) is sequence }}', '{{ none is mapping }}',
          '{{ 1e400 is float }}', '{{ -0.0 is number }}', '{{ 5 is odd() }}']:
    A(t)

# ---- globals
A = fam('globals')
for t in ['{{ range(3) | list }}', '{{ range(1, 10, 3) | list }}', '{{ range(5, 0, -2) | list }}',
          '{{ range(0) | list }}', '{{ range(3) }}', '{{ range(1, 4) }}', '{{ range(0, 10, 2) }}',
          '{{ range(3, 0, -1) }}', '{{ range(0, 3, 0) | list }}', '{{ range("3") | list }}',
          '{{ range(3)[1] }}', '{{ range(3) | length }}', '{{ range(10)[2:5] | list }}',
          '{{ range(10)[::-3] | list }}', '{{ 2 in range(3) }}', '{{ range(100001) | length }}',
          '{{ dict(a=1, b=2) }}', '{{ dict() }}', "{{ dict(d, c=3) }}", '{{ dict(a=1).items() | list }}',
          "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.next() }}{{ c.next() }}{{ c.current }}",
          "{% set c = cycler('a', 'b') %}{{ c.next() }}{% do c.reset() %}",
          "{% set c = cycler('a', 'b') %}{{ c.next() }}{{ c.reset() }}{{ c.next() }}",
          "{% set c = cycler() %}{{ c.next() }}",
          "{% set j = joiner() %}{% for x in l %}{{ j() }}{{ x }}{% endfor %}",
          "{% set j = joiner(' | ') %}{% for x in l %}{{ j() }}{{ x }}{% endfor %}",
          "{% set ns = namespace(a=1) %}{% set ns.a = ns.a + 1 %}{{ ns.a }}",
          "{% set ns = namespace() %}{% for x in l %}{% set ns.last = x %}{% endfor %}{{ ns.last }}",
          "{% set ns = namespace(d, x=1) %}{{ ns.a }}{{ ns.x }}",
          "{% set ns = namespace(a=1) %}{{ ns.b }}", "{% set ns = namespace(a=1) %}{{ ns }}",
          "{% set ns = namespace(a=1) %}{{ ns['a'] }}",
          "{% set x = 1 %}{% set x.y = 2 %}",
          "{% set ns = namespace(items=[]) %}{% for x in l %}{{ ns.items.append(x) or '' }}{% endfor %}{{ ns.items }}",
          "{% for x in l %}{% set ns2 = namespace(v=x) %}{% endfor %}{{ ns2 }}",
          '{{ self }}' and '{{ self.__class__ }}', "{% block b %}B{% endblock %}{{ self.b() }}",
          '{{ undefined }}', '{{ range(-3) | list }}', '{{ range(2 ** 40, 2 ** 40 + 2) | list }}']:
    A(t)

# ---- statements: if/for/set/filter/with/raw/comments
A = fam('statements')
for t in ["{% if 1 %}a{% elif 2 %}b{% else %}c{% endif %}", "{% if 0 %}a{% elif 2 %}b{% else %}c{% endif %}",
          "{% if 0 %}a{% elif 0 %}b{% else %}c{% endif %}", "{% if 0 %}a{% endif %}",
          "{% for x in l %}{{ x }}{% else %}empty{% endfor %}", "{% for x in [] %}{{ x }}{% else %}empty{% endfor %}",
          "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "{% for k in d %}{{ k }}{% endfor %}",
          "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }}{% endfor %}", "{% for a, b in [[1, 2, 3]] %}{% endfor %}",
          "{% for a, (b, c) in [[1, [2, 3]]] %}{{ a }}{{ b }}{{ c }}{% endfor %}",
          "{% for x in l if x > 1 %}{{ x }}{% endfor %}", "{% for x in l if x > 1 %}{{ loop.index }}/{{ loop.length }}{% endfor %}",
          "{% for x in 'abc' %}{{ x }}{% endfor %}", "{% for x in 5 %}{% endfor %}", "{% for x in none %}{% endfor %}",
          "{% for x in l %}{% set y = x %}{% endfor %}{{ y }}", "{% set y = 0 %}{% for x in l %}{% set y = x %}{% endfor %}{{ y }}",
          "{% for x in l %}{{ x }}{% for x in 'ab' %}{{ x }}{% endfor %}{{ x }}{% endfor %}",
          "{% set a, b = 1, 2 %}{{ a }}{{ b }}", "{% set a, b = [1] %}", "{% set a = b = 1 %}",
          "{% set (a, b) = 'xy' %}{{ b }}{{ a }}", "{% set x %}block {{ n }}{% endset %}[{{ x }}]",
          "{% set x | upper %}abc{% endset %}{{ x }}", "{% set x | upper | replace('A', '-') %}abc{% endset %}{{ x }}",
          "{% filter upper %}abc{{ s }}{% endfilter %}", "{% filter center(9) | upper %}ab{% endfilter %}",
          "{% filter replace('a', 'b') %}aaa{% endfilter %}", "{% filter nosuch %}x{% endfilter %}",
          "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}{{ a }}", "{% with a = 1 %}{% with b = a + 1 %}{{ b }}{% endwith %}{% endwith %}",
          "{% with %}{% set q = 1 %}{{ q }}{% endwith %}{{ q }}", "{% with a = n %}{% set n = 5 %}{{ n }}{% endwith %}{{ n }}",
          "{% raw %}{{ x }}{% if %}{% endraw %}", "{%- raw -%} {{ x }} {%- endraw -%}",
          "a{# comment {{ x }} #}b", "a {#- c -#} b", "{# multi\nline #}x", "{{ '{{' }}",
          "{% if 1 %}{% endif %}{% if %}{% endif %}", "{% endif %}", "{% for %}", "{% foo %}",
          "{{ }}", "{{ 1 + }}", "{{ 'abc }}", "{% if 1 %}", "{% for x in l %}{% endif %}",
          "{{ 1 }", "x }} y", "x %} y", "{% set 1 = 2 %}", "{{ a b }}", "{{ l[ }}",
          "{% block a %}{% endblock b %}", "{% macro m(a=1, b) %}{% endmacro %}",
          "{% break %}", "{% continue %}", "{% do 1 %}", "{% trans %}x{% endtrans %}",
          "{% if 1 %}a{% else %}b{% else %}c{% endif %}", "{{ 1 if }}", "{% extends %}",
          "{% for x in l recursive %}{{ x }}{% endfor %}", "{{ 1 }}{# unterminated", "{% raw %}x",
          "{% set x = 1 %}{% set x = x + 1 %}{{ x }}", "{% if true %}{% set z = 1 %}{% endif %}{{ z }}",
          "{% for i in range(3) %}{% if loop.first %}F{% elif loop.last %}L{% else %}M{% endif %}{% endfor %}",
          "{{ caller }}", "{{ varargs }}", "{{ loop }}",
          "{% for x in l %}{% endfor %}{{ x }}", "{% set l = l + [9] %}{{ l }}",
          "{% set d2 = {} %}{% set _ = d2.update({'a': 1}) %}{{ d2 }}",
          "{% set lst = [] %}{{ lst.append(1) }}{{ lst }}",
          "{% for x in l %}{{ x }}{% set l = [] %}{% endfor %}",
          "{% if n is defined and n > 40 %}big{% endif %}"]:
    A(t)

# ---- loop attributes
A = fam('loop')
for t in ["{% for x in 'abc' %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }};{% endfor %}",
          "{% for x in 'abc' %}{{ loop.cycle('o', 'e') }}{% endfor %}", "{% for x in 'abc' %}{{ loop.cycle() }}{% endfor %}",
          "{% for x in 'abc' %}{{ loop.previtem }}|{{ loop.nextitem }};{% endfor %}",
          "{% for x in [1,1,2,2,1] %}{{ loop.changed(x) }}{% endfor %}",
          "{% for x in 'ab' %}{{ loop.depth }}{{ loop.depth0 }}{% endfor %}",
          "{% for x in nested recursive %}[{% if x is iterable %}{{ loop(x) }}{% else %}{{ x }}@{{ loop.depth }}{% endif %}]{% endfor %}",
          "{% for x in [[1,[2]],[3]] recursive %}{{ loop.depth }}:{% if x is sequence %}{{ loop(x) }}{% else %}{{ x }}{% endif %};{% endfor %}",
          "{% for x in 'ab' %}{% for y in 'cd' %}{{ loop.index }}{{ x }}{% endfor %}{{ loop.index }}{% endfor %}",
          "{% for x in 'ab' %}{% set outer = loop %}{% for y in 'cd' %}{{ outer.index }}{{ loop.index }}{% endfor %}{% endfor %}",
          "{% for x in 'ab' %}{{ loop }}{% endfor %}", "{% for x in 'ab' %}{{ loop.nosuch }}{% endfor %}",
          "{% for x in range(3) %}{{ loop.revindex }}{% endfor %}",
          "{% for x in (l | select('odd')) %}{{ loop.length }}{{ loop.last }}{% endfor %}",
          "{% for x in l | sort %}{{ loop.previtem is defined }}{% endfor %}",
          "{% for x in 'abc' if x != 'b' %}{{ loop.index }}{{ loop.last }}{% endfor %}",
          "{% for x in d %}{{ loop.index }}{{ x }}{% endfor %}",
          "{% for x in [] %}{% else %}{{ loop is defined }}{% endfor %}",
          "{% for x in 'ab' %}{% endfor %}{{ loop is defined }}",
          "{% for a in 'ab' %}{% for b in 'xy' %}{{ loop.cycle(1,2) }}{% endfor %}{% endfor %}",
          "{% for x in l recursive %}{{ loop.depth }}{% endfor %}",
          "{% for x in [1,[2,[3]]] recursive %}{% if x is sequence %}{{ loop(x) }}{% else %}{{ x }}{{ loop.length }}{% endif %}{% endfor %}",
          "{% for x in 'ab' %}{% for y in loop.cycle('p','q') %}{{ y }}{% endfor %}{% endfor %}"]:
    A(t)

# ---- whitespace control and the three options
A = fam('whitespace')
WS = ["a\n{% if 1 %}\nb\n{% endif %}\nc\n", "a\n  {% if 1 %}\n  b\n  {% endif %}\nc",
      "  {%- if 1 %}x{% endif -%}  \n y", "{% for x in l %}\n{{ x }}\n{% endfor %}\n",
      "  {% for x in l -%}\n  {{ x }}\n  {%- endfor %}", "a  {{- 1 -}}  b", "a\n{{- 1 }}\nb",
      "{%+ if 1 %}x{% endif %}", "  {%+ if 1 %}x{% endif %}", "  {% if 1 +%}\nx{% endif %}",
      "x\n{# c #}\ny", "x\n  {# c #}\ny", "x\n  {#- c #}\ny", "{% raw %}\n  a\n{% endraw %}\n",
      "  {% raw %}x{% endraw %}\nz", "a\n\n", "a\n", "a\r\nb\r\n", "a\rb", "\n", "",
      "{% set x = 1 %}\n{{ x }}\n", "{% macro m() %}\n  m\n{% endmacro %}\n{{ m() }}\n",
      "{{ 1 }}\n{{ 2 }}\n", "  {% if 1 %}\t\n  x\n  {% endif %}  \n",
      "{% if 1 %}   \nx{% endif %}", "{% if 1 %}\r\nx{% endif %}",
      "a {%- if 1 -%} \n\n b {%- endif -%} c", "   {{ 1 }}   {% if 1 %}  x", "\t{% if 1 %}\ty\n\t{% endif %}\n",
      "{% filter upper %}\n  a\n{% endfilter %}\n", "{% block b %}\n  in\n{% endblock %}\n",
      "a {#+ c #} b", "{%- if 1 %}\n{%- endif %}", "x  \n  {%- if 1 %}\n  y\n{% endif %}",
      "  {#- x -#}  \n", "<ul>\n{% for x in l %}\n    <li>{{ x }}</li>\n{% endfor %}\n</ul>\n"]
for t in WS:
    for opts in [(), ('--trim-blocks',), ('--lstrip-blocks',), ('--trim-blocks', '--lstrip-blocks'),
                 ('--keep-trailing-newline',), ('--trim-blocks', '--lstrip-blocks', '--keep-trailing-newline')]:
        A(t, opts=opts)

# ---- include / import / extends / blocks / super / scoped / required
A = fam('inherit')
BASE_T = "<{% block title %}T{% endblock %}>{% block body %}B{% endblock %}</>"
INC = {'base.j2': BASE_T, 'inc.j2': '[inc {{ n }} {{ v | default("nov") }}]',
       'macros.j2': "{% macro hi(x='w') %}hi {{ x }}{% endmacro %}{% set val = 7 %}{% set _priv = 1 %}{% macro _hidden() %}h{% endmacro %}{{ n }}",
       'ctxm.j2': "{% macro show() %}{{ n }}|{{ v | default('nov') }}{% endmacro %}",
       'mid.j2': "{% extends 'base.j2' %}{% block title %}M-{{ super() }}{% endblock %}",
       'req.j2': "{% block r required %}{% endblock %}x",
       'loopb.j2': "{% for i in l %}{% block li scoped %}{{ i }}{% endblock %}{% endfor %}",
       'sub/x.j2': "sub {% include 'inc.j2' %}", 'nl.j2': "line\n", 'err.j2': '{{ 1 / 0 }}',
       'syn.j2': '{% if %}', 'self.j2': "{% include 'self.j2' %}"}
for t in ["{% include 'inc.j2' %}", "{% set v = 1 %}{% include 'inc.j2' %}",
          "{% set v = 1 %}{% include 'inc.j2' without context %}", "{% include 'missing.j2' %}",
          "{% include 'missing.j2' ignore missing %}ok", "{% include ['missing.j2', 'inc.j2'] %}",
          "{% include ['m1', 'm2'] %}", "{% include ['m1', 'm2'] ignore missing %}o",
          "{% for v in 'ab' %}{% include 'inc.j2' %}{% endfor %}", "{% with v = 3 %}{% include 'inc.j2' %}{% endwith %}",
          "{% include 'sub/x.j2' %}", "a{% include 'nl.j2' %}b", "{% include 'err.j2' %}", "{% include 'syn.j2' %}",
          "{% include 'self.j2' %}", "{% include none %}", "{% include 5 %}", "{% set t = 'inc.j2' %}{% include t %}",
          "{% import 'macros.j2' as m %}{{ m.hi() }}{{ m.hi('y') }}{{ m.val }}",
          "{% import 'macros.j2' as m %}{{ m._priv }}", "{% import 'macros.j2' as m %}{{ m.nosuch }}",
          "{% import 'macros.j2' as m %}{{ m }}", "{% from 'macros.j2' import hi, val %}{{ hi(x=1) }}{{ val }}",
          "{% from 'macros.j2' import hi as h %}{{ h() }}", "{% from 'macros.j2' import nosuch %}",
          "{% from 'macros.j2' import _hidden %}", "{% from 'macros.j2' import nosuch %}{{ nosuch }}",
          "{% set v = 1 %}{% from 'ctxm.j2' import show %}{{ show() }}",
          "{% set v = 1 %}{% from 'ctxm.j2' import show with context %}{{ show() }}",
          "{% set v = 1 %}{% import 'ctxm.j2' as c with context %}{{ c.show() }}",
          "{% set v = 1 %}{% import 'ctxm.j2' as c without context %}{{ c.show() }}",
          "{% import 'missing.j2' as m %}", "{% from 'macros.j2' import hi, %}{{ hi() }}",
          "{% extends 'base.j2' %}", "{% extends 'base.j2' %}{% block title %}X{% endblock %}",
          "{% extends 'base.j2' %}{% block title %}[{{ super() }}]{% endblock %}",
          "{% extends 'mid.j2' %}{% block title %}L-{{ super() }}{% endblock %}",
          "{% extends 'base.j2' %}outside{% block body %}b{% endblock %}",
          "{% extends 'base.j2' %}{% set q = 5 %}{% block body %}{{ q }}{% endblock %}",
          "{% extends 'base.j2' %}{% block nope %}N{% endblock %}",
          "{% extends 'base.j2' %}{% block body %}{{ self.title() }}{% endblock %}",
          "{% extends 'base.j2' %}{% block body %}{{ super() }}{{ super() }}{% endblock %}",
          "{% block a %}A{% endblock %}{% block a %}B{% endblock %}",
          "{% extends 'base.j2' %}{% extends 'base.j2' %}",
          "{% if t %}{% extends 'base.j2' %}{% endif %}{% block title %}C{% endblock %}",
          "{% extends none %}x", "{% extends 'req.j2' %}", "{% extends 'req.j2' %}{% block r %}R{% endblock %}",
          "{% block r required %}text{% endblock %}", "{% include 'req.j2' %}",
          "{% extends 'loopb.j2' %}{% block li %}<{{ i }}>{% endblock %}",
          "{% for i in l %}{% block x %}{{ i }}{% endblock %}{% endfor %}",
          "{% for i in l %}{% block x scoped %}{{ i }}{% endblock %}{% endfor %}",
          "{% block o %}O{% block i %}I{% endblock %}{% endblock %}",
          "{% extends 'base.j2' %}{% block body %}{% block inner %}in{% endblock %}{% endblock %}",
          "{{ super() }}", "{% block b %}{{ super() }}{% endblock %}",
          "{% extends 'missing.j2' %}", "{% extends 'syn.j2' %}",
          "{% macro m() %}{% include 'inc.j2' %}{% endmacro %}{{ m() }}",
          "{% set x = 1 %}{% block b %}{{ x }}{% endblock %}",
          "{% extends 'base.j2' %}{% block title %}{{ n }}{% endblock %}",
          "{% import 'macros.j2' as m %}{{ m.hi.name }}{{ m.hi.arguments }}",
          "{% include 'inc.j2' ignore missing with context %}", "{% include 'inc.j2' without context ignore missing %}"]:
    A(t, files=INC)

# ---- macros, call blocks, varargs/kwargs/caller, recursion
A = fam('macros')
for t in ["{% macro m(a, b=2) %}{{ a }}{{ b }}{% endmacro %}{{ m(1) }}{{ m(1, 3) }}{{ m(b=5, a=4) }}",
          "{% macro m(a) %}{{ a }}{% endmacro %}{{ m() }}", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}",
          "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(b=1) }}", "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, a=2) }}",
          "{% macro m() %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=3) }}",
          "{% macro m(a) %}{{ a }}{{ varargs }}{% endmacro %}{{ m(1, 2, 3) }}",
          "{% macro m() %}{{ kwargs.x }}{% endmacro %}{{ m(x='k') }}",
          "{% macro m(*args) %}{{ args }}{% endmacro %}{{ m(1) }}",
          "{% macro m() %}[{{ caller() }}]{% endmacro %}{% call m() %}inner{% endcall %}",
          "{% macro m() %}[{{ caller(1, 2) }}]{% endmacro %}{% call(a, b) m() %}{{ a + b }}{% endcall %}",
          "{% macro m() %}{% for u in users %}{{ caller(u) }}{% endfor %}{% endmacro %}{% call(u) m() %}{{ u.name }},{% endcall %}",
          "{% macro m() %}{{ caller() }}{% endmacro %}{{ m() }}",
          "{% macro m() %}{{ caller is defined }}{% endmacro %}{{ m() }}",
          "{% macro m(x) %}{{ x }}{% endmacro %}{% call m(1) %}c{% endcall %}",
          "{% macro m() %}{{ caller(x=5) }}{% endmacro %}{% call(x=1) m() %}{{ x }}{% endcall %}",
          "{% macro f(k) %}{% if k > 0 %}{{ k }}{{ f(k - 1) }}{% endif %}{% endmacro %}{{ f(5) }}",
          "{% macro fact(k) %}{% if k <= 1 %}1{% else %}{{ k * fact(k - 1) | int }}{% endif %}{% endmacro %}{{ fact(6) }}",
          "{% macro inf() %}{{ inf() }}{% endmacro %}{{ inf() }}",
          "{% macro m() %}{{ n }}{% endmacro %}{% set n = 1 %}{{ m() }}",
          "{% set n = 1 %}{% macro m() %}{{ n }}{% endmacro %}{% set n = 2 %}{{ m() }}",
          "{% macro m() %}{% set n = 9 %}{{ n }}{% endmacro %}{{ m() }}{{ n }}",
          "{% macro m(a, b) %}{% endmacro %}{{ m.name }} {{ m.arguments }} {{ m.catch_kwargs }} {{ m.catch_varargs }} {{ m.caller }}",
          "{% macro m() %}x{% endmacro %}{{ m }}", "{% macro m() %}x{% endmacro %}{{ m | string }}",
          "{% macro m() %}  x  {% endmacro %}[{{ m() }}]", "{% macro m(a={}) %}{{ a }}{% endmacro %}{{ m() }}",
          "{% macro m(a=n+1) %}{{ a }}{% endmacro %}{{ m() }}", "{% macro m(a, b=a) %}{{ b }}{% endmacro %}{{ m(3) }}",
          "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{% call m() %}deep{% endcall %}{% endcall %}",
          "{% macro m(caller) %}{{ caller }}{% endmacro %}{{ m(1) }}",
          "{% macro m() %}{{ varargs | length }}{% endmacro %}{{ m(*[1,2,3]) }}",
          "{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(**{'a': 1, 'b': 2}) }}",
          "{{ '{}-{}'.format(*l) }}", "{{ dict(**d) }}", "{{ dict(**d, c=1) }}",
          "{% macro m(a) %}{{ a }}{% endmacro %}{{ m(*l) }}",
          "{% macro m() %}{{ kwargs }}{% endmacro %}{{ m(**d) }}",
          "{% macro m() %}{% return %}{% endmacro %}",
          "{% macro m() -%}\n  x\n{%- endmacro %}{{ m() }}", "{% macro m() %}x{% endmacro %}{{ m() ~ m() }}",
          "{% macro m() %}<b>{% endmacro %}{{ m() is string }}",
          "{% macro m() %}x{% endmacro %}{{ m() | length }}", "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{{ loop }}{% endcall %}",
          "{% for x in l %}{% macro m() %}{{ x }}{% endmacro %}{{ m() }}{% endfor %}",
          "{% macro m(x) %}{{ x }}{% endmacro %}{{ l | map('m') | list }}"]:
    A(t)

# ---- string methods and their arguments
A = fam('strmethods')
for t in ["{{ s.upper() }}", "{{ s.lower() }}", "{{ s.title() }}", "{{ 'aB cD'.swapcase() }}", "{{ 'hello'.capitalize() }}",
          "{{ s.split() }}", "{{ s.split('o') }}", "{{ s.split('o', 1) }}", "{{ 'a,b,,c'.split(',') }}", "{{ ' a  b '.split() }}",
          "{{ ' a  b '.split(None, 1) }}", "{{ 'a b c'.rsplit(' ', 1) }}", "{{ 'a b c'.split(maxsplit=1) }}", "{{ ''.split() }}",
          "{{ ''.split(',') }}", "{{ 'a'.split('') }}", "{{ 'a\\nb\\r\\nc'.splitlines() }}", "{{ 'a\\nb\\n'.splitlines(true) }}",
          "{{ sp.strip() }}", "{{ sp.lstrip() }}", "{{ sp.rstrip() }}", "{{ 'xxaxx'.strip('x') }}", "{{ 'abc'.lstrip('ba') }}",
          "{{ s.replace('l', 'L') }}", "{{ s.replace('l', 'L', 1) }}", "{{ s.replace('', '-') }}", "{{ s.startswith('He') }}",
          "{{ s.startswith(('x', 'H')) }}", "{{ s.endswith('ld') }}", "{{ s.startswith('W', 6) }}", "{{ s.endswith('o', 0, 5) }}",
          "{{ s.find('o') }}", "{{ s.find('o', 5) }}", "{{ s.rfind('o') }}", "{{ s.find('z') }}", "{{ s.index('W') }}",
          "{{ s.index('z') }}", "{{ s.rindex('l') }}", "{{ s.count('l') }}", "{{ s.count('l', 4) }}", "{{ 'aaa'.count('') }}",
          "{{ ', '.join(['a', 'b']) }}", "{{ ''.join(l) }}", "{{ '-'.join('abc') }}", "{{ 'ab'.center(6, '*') }}",
          "{{ 'ab'.ljust(5, '.') }}", "{{ 'ab'.rjust(5) }}", "{{ '42'.zfill(5) }}", "{{ '-42'.zfill(5) }}", "{{ '+4'.zfill(4) }}",
          "{{ 'abc'.isalpha() }}", "{{ '123'.isdigit() }}", "{{ '12a'.isalnum() }}", "{{ '  '.isspace() }}", "{{ 'Ab Cd'.istitle() }}",
          "{{ 'abc'.islower() }}", "{{ 'ABC'.isupper() }}", "{{ '½'.isnumeric() }}", "{{ '²'.isdigit() }}", "{{ '²'.isdecimal() }}",
          "{{ 'a_1'.isidentifier() }}", "{{ 'ab'.isprintable() }}", "{{ 'a'.isascii() }}", "{{ 'é'.isascii() }}",
          "{{ 'a=b=c'.partition('=') }}", "{{ 'a=b=c'.rpartition('=') }}", "{{ 'abc'.partition('x') }}",
          "{{ 'prefix_x'.removeprefix('prefix_') }}", "{{ 'x.txt'.removesuffix('.txt') }}", "{{ 'a\\tb'.expandtabs() }}",
          "{{ 'a\\tb'.expandtabs(4) }}", "{{ 'ab'.encode() }}", "{{ 'Straße'.casefold() }}", "{{ 'abc'.translate({97: 'x'}) }}",
          "{{ '{} {}'.format(1, 2) }}", "{{ '{0}{1}{0}'.format('a', 'b') }}", "{{ '{x}'.format(x=1) }}", "{{ '{:>5}'.format('a') }}",
          "{{ '{:<5}|'.format('a') }}", "{{ '{:^5}'.format('a') }}", "{{ '{:*^7}'.format('a') }}", "{{ '{:05d}'.format(42) }}",
          "{{ '{:+d}'.format(5) }}", "{{ '{: d}'.format(5) }}", "{{ '{:,}'.format(1234567) }}", "{{ '{:_}'.format(1234567) }}",
          "{{ '{:x}'.format(255) }}", "{{ '{:#x}'.format(255) }}", "{{ '{:X}'.format(255) }}", "{{ '{:o}'.format(8) }}",
          "{{ '{:b}'.format(5) }}", "{{ '{:#b}'.format(5) }}", "{{ '{:c}'.format(65) }}", "{{ '{:e}'.format(12345.678) }}",
          "{{ '{:.2e}'.format(0.000123) }}", "{{ '{:E}'.format(1.5) }}", "{{ '{:f}'.format(1.5) }}", "{{ '{:.3f}'.format(2.0005) }}",
          "{{ '{:g}'.format(1234567.0) }}", "{{ '{:g}'.format(0.00001) }}", "{{ '{:G}'.format(1e20) }}", "{{ '{:.3g}'.format(3.14159) }}",
          "{{ '{:%}'.format(0.25) }}", "{{ '{:.1%}'.format(0.256) }}", "{{ '{}'.format(1.0) }}", "{{ '{}'.format(1e16) }}",
          "{{ '{:.2}'.format(3.14159) }}", "{{ '{:.2}'.format('abcdef') }}", "{{ '{:10.3f}|'.format(3.14159) }}",
          "{{ '{:<10,.2f}|'.format(12345.678) }}", "{{ '{!r}'.format('a') }}", "{{ '{!s}'.format(1) }}", "{{ '{!a}'.format('é') }}",
          "{{ '{0[0]}'.format(l) }}", "{{ '{0[a]}'.format(d) }}", "{{ '{0.real}'.format(5) }}", "{{ '{{}}'.format() }}",
          "{{ '{:{w}}|'.format('a', w=4) }}", "{{ '{:>{w}.{p}f}'.format(3.14159, w=8, p=2) }}", "{{ '{}'.format() }}",
          "{{ '{0} {}'.format(1, 2) }}", "{{ '{:d}'.format('x') }}", "{{ '{:d}'.format(1.5) }}", "{{ '{:s}'.format(1) }}",
          "{{ '{:=+8}'.format(-5) }}", "{{ '{:08.2f}'.format(-3.5) }}", "{{ '{:n}'.format(1234) }}", "{{ '{}'.format(none) }}",
          "{{ '{}'.format(t) }}", "{{ '{:d}'.format(t) }}", "{{ '{:>5}'.format(t) }}", "{{ '{}'.format(l) }}", "{{ '{}'.format(d) }}",
          "{{ '{:x}'.format(-255) }}", "{{ '{:.0f}'.format(2.5) }}", "{{ '{:.0f}'.format(3.5) }}", "{{ '{:.1f}'.format(0.05) }}",
          "{{ '{:f}'.format(1e300 * 1e10) }}", "{{ '{:e}'.format(0) }}", "{{ '{:g}'.format(100000) }}", "{{ '{:#g}'.format(1.0) }}",
          "{{ '{}'.format(1e-5) }}", "{{ '{:,d}'.format(-1234567) }}", "{{ '{:,.3f}'.format(1234.5) }}",
          "{{ '%s' % 1 }}", "{{ '%s %s' % (1, 2) }}", "{{ '%s' % (l,) }}", "{{ '%s' % l }}", "{{ '%d' % 3.7 }}", "{{ '%i' % 3 }}",
          "{{ '%5d|' % 3 }}", "{{ '%-5d|' % 3 }}", "{{ '%05d' % -3 }}", "{{ '%+d' % 3 }}", "{{ '% d' % 3 }}", "{{ '%x' % 255 }}",
          "{{ '%#x' % 255 }}", "{{ '%X' % 255 }}", "{{ '%o' % 8 }}", "{{ '%#o' % 8 }}", "{{ '%e' % 1234.5 }}", "{{ '%E' % 0.5 }}",
          "{{ '%f' % 1.5 }}", "{{ '%.2f' % 2.675 }}", "{{ '%g' % 1e-5 }}", "{{ '%g' % 123456789 }}", "{{ '%G' % 1e-10 }}",
          "{{ '%r' % 'a' }}", "{{ '%r' % 1.0 }}", "{{ '%c' % 65 }}", "{{ '%c' % 'z' }}", "{{ '%%' % () }}", "{{ '%s%%' % 5 }}",
          "{{ '%(a)s %(b)d' % {'a': 'x', 'b': 2} }}", "{{ '%(a)s' % d }}", "{{ '%s' % d }}", "{{ '%*d' % (5, 3) }}",
          "{{ '%.*f' % (2, 3.14159) }}", "{{ '%s %s' % (1,) }}", "{{ '%s' % (1, 2) }}", "{{ '%d' % 'x' }}", "{{ '%z' % 1 }}",
          "{{ '%.3s' % 'abcdef' }}", "{{ '%10.3s|' % 'abcdef' }}", "{{ '%s' % none }}", "{{ '%s' % t }}", "{{ '%d' % t }}",
          "{{ '%s' % 1.0 }}", "{{ '%s' % 1e16 }}", "{{ '%s' % 0.1 }}", "{{ '%.0f' % 0.5 }}", "{{ '%s' % u }}", "{{ '%5s|' % u }}",
          "{{ '%a' % 'é' }}", "{{ '%u' % 5 }}", "{{ '%s' % html }}", "{{ 5 % 3 }}", "{{ '%s' % (none,) }}", "{{ '%(x)s' % {} }}",
          "{{ s.__len__ }}", "{{ s.format_map({}) }}", "{{ 'abc'.nosuchmethod() }}", "{{ s.mro }}",
          "{{ u.upper() }}", "{{ u.title() }}", "{{ cjk.center(7, '*') }}", "{{ u.split('ö') }}", "{{ emoji.find('x') }}",
          "{{ u.encode('utf-8') }}", "{{ 'ÀÉ'.lower() }}", "{{ u[1:4] }}", "{{ u | reverse }}", "{{ '%-6s|' % cjk }}",
          "{{ '{:^7}'.format(cjk) }}", "{{ emoji[0] }}", "{{ emoji | list }}", "{{ 'aé' < 'b' }}", "{{ ['é', 'e', 'f'] | sort }}",
          "{{ u | wordcount }}", "{{ cjk | truncate(2, true, '', 0) }}", "{{ u | urlencode }}", "{{ u | center(15, ) }}",
          "{{ '\\u00e9' == 'é' }}", "{{ 'e\\u0301' | length }}", "{{ 'ǅ'.lower() }}", "{{ 'ﬀ' | length }}",
          "{{ u.count('l') }}", "{{ 'x'.join(cjk) }}", "{{ cjk | first }}", "{{ u.index('w') }}", "{{ u.find('ö') }}"]:
    A(t)

# ---- list/dict methods
A = fam('containers')
for t in ["{{ l.index(1) }}", "{{ l.count(3) }}", "{{ l.index(9) }}", "{{ l.copy() }}", "{{ l + l }}", "{{ l * 2 }}",
          "{% set x = [3, 1, 2] %}{{ x.sort() }}{{ x }}", "{% set x = [1] %}{{ x.extend([2, 3]) }}{{ x }}",
          "{% set x = [1, 2] %}{{ x.pop() }}{{ x }}", "{% set x = [1, 2] %}{{ x.pop(0) }}{{ x }}", "{% set x = [1] %}{{ x.insert(0, 9) }}{{ x }}",
          "{% set x = [1, 2] %}{{ x.remove(2) }}{{ x }}", "{% set x = [1, 2] %}{{ x.reverse() }}{{ x }}", "{% set x = [1] %}{{ x.clear() }}{{ x }}",
          "{% set x = [1] %}{% set _ = x.append(x) %}{{ x | length }}",
          "{{ d.keys() | list }}", "{{ d.values() | list }}", "{{ d.items() | list }}", "{{ d.get('a') }}", "{{ d.get('z') }}",
          "{{ d.get('z', 5) }}", "{% set x = {} %}{{ x.setdefault('a', 1) }}{{ x }}", "{% set x = {'a': 1} %}{{ x.pop('a') }}{{ x }}",
          "{% set x = {'a': 1} %}{{ x.pop('b', 0) }}", "{% set x = {'a': 1} %}{{ x.update(b=2) }}{{ x }}", "{{ d.copy() }}",
          "{% set x = {'a': 1, 'b': 2} %}{{ x.popitem() }}", "{{ d | length }}", "{{ d }}", "{{ {'a': none, 'b': true, 'c': 1.0} }}",
          "{{ ['a', none, 1.0, true, \"it's\", 'q\"'] }}", "{{ ('a',) }}", "{{ users[0] }}", "{{ {(1, 2): 3} }}", "{{ {'x': {'y': []}} }}",
          "{{ [1, [2, (3,)]] }}", "{{ 'a\\nb' ~ ['a\\nb'] }}", "{{ ['\\\\', '\\t', \"'\", '\\x00', '\\x7f', 'é'] }}",
          "{{ d.a is defined }}", "{{ d['a'] + d.b }}", "{{ d | dictsort | first }}", "{{ d.items() }}", "{{ d.keys() }}",
          "{{ {} | first }}", "{{ {'a': 1} | first }}", "{{ l.__len__() }}", "{{ d.nosuch() }}", "{{ l.sort }}",
          "{{ {'b': 1, 'a': 2} | list }}", "{{ [3, 1] | sort | first }}", "{{ (l | sort)[0] }}",
          "{% set x = [] %}{% for i in range(3) %}{% set _ = x.append(i) %}{% endfor %}{{ x }}"]:
    A(t)

# ---- slicing
A = fam('slicing')
for seq in ["'abcdef'", 'range(6) | list', '[0, 1, 2, 3, 4, 5]', "(0, 1, 2)"]:
    for sl in ['[1:3]', '[:2]', '[3:]', '[-2:]', '[:-2]', '[::2]', '[::-1]', '[::-2]', '[4:1:-1]', '[1:4:-1]',
               '[-1:-4:-1]', '[none:none:-1]', '[none:2]', '[10:]', '[-10:2]', '[::0]', '[1:3:none]', '[5:0:-2]',
               '[-100:100]', "['a':]", '[1.5:]', '[t:]']:
        A('{{ (%s)%s }}' % (seq, sl))
for t in ["{{ u[::-1] }}", "{{ emoji[::-1] }}", "{{ cjk[1:] }}", "{{ u[-3:] }}", "{{ s[0] }}{{ s[-1] }}", "{{ s[100] }}",
          "{{ range(10)[1:8:3] }}", "{{ (html | safe)[1:4] }}", "{{ d[1:] }}"]:
    A(t)

# ---- Markup / escape semantics beyond the filters (autoescape on and off)
A = fam('markup')
for t in ["{{ ('<b>%s</b>' | safe) % '<i>' }}", "{{ ('<b>%s</b>' | safe) % ('<i>',) }}",
          "{{ ('%(a)s' | safe) % {'a': '<'} }}", "{{ ('<br>' | safe).join(['<a>', '<b>']) }}",
          "{{ ('{x}' | safe).format(x='<') }}", "{{ ('{0}' | safe).format('<' | safe) }}",
          "{{ ('a' | safe) ~ 1 }}", "{{ ('<' | safe) ~ none }}", "{{ ('<' | safe) | length }}",
          "{{ ('<' | safe) | string }}", "{{ ('<' | safe) | list }}", "{{ ('A<' | safe) | lower }}",
          "{{ ('a<' | safe).capitalize() }}", "{{ ('a,<' | safe).split(',') }}", "{{ ('<x>' | safe).partition('x') }}",
          "{{ (' <x> ' | safe).strip() }}", "{{ ('<x>' | safe).center(9, '&') }}", "{{ ('<x>' | safe).ljust(6, '<') }}",
          "{{ ('a' | safe).zfill(4) }}", "{{ ('&amp;' | safe).unescape() }}", "{{ ('<p>a &amp; b</p>' | safe).striptags() }}",
          "{{ ('<' | safe) * 2 }}", "{{ 2 * ('<' | safe) }}", "{{ '<' | e | safe }}", "{{ '<' | e | e }}",
          "{{ '<' | forceescape | forceescape }}", "{{ 5 | safe }}", "{{ none | safe }}", "{{ l | safe }}",
          "{{ [1, '<'] | e }}", "{{ {'a': '<'} | e }}", "{{ ('<' | safe) is string }}", "{{ '&#39;' | safe | e }}",
          "{{ (html | e) | replace('&', 'X') }}", "{{ (html | e) | truncate(5) }}", "{{ html | e | wordcount }}",
          "{{ html | e | title }}", "{{ html | e | upper }}", "{{ ['<'] | join(('<' | safe)) }}",
          "{{ ['<' | safe] | join('<') }}", "{{ html | e | center(40) }}", "{{ html | e | indent(2, true) }}",
          "{{ html | e | reverse }}", "{{ html | e | format }}", "{{ ('%s' | safe) | format('<') }}",
          "{{ '%s' | format('<' | safe) }}", "{{ (html | e)[0:4] }}", "{{ (html | e) == html }}",
          "{{ (html | e).count('&') }}", "{{ ('<' | e) in (html | e) }}", "{{ '<' in ('&lt;' | safe) }}",
          "{{ (html | e).startswith('&') }}", "{{ html | e | sort | first }}", "{{ (html|e) | tojson }}",
          "{{ html | e | urlencode }}", "{{ html | e | xmlattr }}", "{{ {'a': html | e} | xmlattr }}",
          "{{ (html | e) | striptags }}"]:
    A(t)
    A(t, opts=['--autoescape'])
for t in ["{% set x = '<' %}{{ x ~ ('<' | safe) }}", "{% set x = '<' | safe %}{{ x ~ '<' }}", "{{ html ~ '' }}",
          "{% macro m(x) %}{{ x }}{% endmacro %}{{ m('<') }}|{{ m('<' | safe) }}",
          "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}<{{ '<' }}{% endcall %}",
          "{% filter upper %}<{{ '<' }}{% endfilter %}", "{% set x %}<{{ '<' }}{% endset %}{{ x }}{{ x | length }}",
          "{% include 'inc.j2' %}", "{% import 'm.j2' as m %}{{ m.hi('<') }}",
          "{% autoescape false %}{{ '<' }}{% include 'inc.j2' %}{% endautoescape %}",
          "{{ joiner('<')() }}", "{% set c = cycler('<', '>') %}{{ c.next() }}", "{{ ['<'] }}",
          "{{ '<' | pprint }}", "{{ namespace(a='<').a }}", "{{ dict(a='<') }}", "{{ range(2) }}",
          "{% for x in ['<'] %}{{ loop.cycle('<', 2) }}{{ x }}{% endfor %}", "{{ '<' if t }}",
          "{{ '%s' % '<' }}", "{{ '{}'.format('<') }}", "{{ 1 ~ '<' }}", "{{ ('<' ~ '>') | length }}"]:
    A(t, opts=['--autoescape'], files={'inc.j2': '<{{ html }}', 'm.j2': "{% macro hi(x) %}<{{ x }}{% endmacro %}"})

# ---- more scoping, blocks, includes
A = fam('scoping')
FILES = {'base.j2': "{% set bv = 'base' %}<{% block a %}A{{ bv }}{% endblock %}|{% block b %}{% block c %}C{% endblock %}{% endblock %}>",
         'inc.j2': "{% set iv = 1 %}{{ x | default('-') }}{{ loop is defined }}",
         'im.j2': "{% set exported = 'E' %}{% macro m() %}{{ exported }}{% endmacro %}",
         'mid.j2': "{% extends 'base.j2' %}{% block c %}midC{{ super() }}{% endblock %}"}
for t in ["{% extends 'base.j2' %}{% block a %}{{ bv }}{% endblock %}",
          "{% extends 'base.j2' %}{% block c %}X{{ super() }}{% endblock %}",
          "{% extends 'mid.j2' %}{% block c %}Y{{ super() }}{% endblock %}",
          "{% extends 'mid.j2' %}{% block b %}B{{ super() }}{% endblock %}",
          "{% extends 'mid.j2' %}{% block a %}{{ super.super() }}{% endblock %}",
          "{% extends 'base.j2' %}{% block a %}{{ self.c() }}{% endblock %}",
          "{% for x in 'ab' %}{% include 'inc.j2' %}{% endfor %}{{ iv | default('no') }}",
          "{% include 'inc.j2' %}{{ iv | default('no') }}", "{% import 'im.j2' as i %}{{ i.m() }}{{ i.exported }}",
          "{% from 'im.j2' import exported %}{{ exported }}", "{% from 'im.j2' import m %}{% set exported = 'L' %}{{ m() }}",
          "{% set x = 1 %}{% macro f() %}{% set x = 2 %}{% endmacro %}{{ f() }}{{ x }}",
          "{% set x = 1 %}{% for i in [1] %}{% set x = 2 %}{% endfor %}{{ x }}",
          "{% set x = 1 %}{% if t %}{% set x = 2 %}{% endif %}{{ x }}",
          "{% for i in [1] %}{{ x }}{% set x = 5 %}{{ x }}{% endfor %}", "{% set x = 1 %}{% for i in [1] %}{{ x }}{% set x = 5 %}{% endfor %}",
          "{% with %}{{ x }}{% set x = 3 %}{% endwith %}", "{% set x = 1 %}{% with %}{{ x }}{% set x = 3 %}{{ x }}{% endwith %}{{ x }}",
          "{% macro m() %}{{ x }}{% endmacro %}{% set x = 1 %}{% with x = 2 %}{{ m() }}{% endwith %}",
          "{% for a in [1, 2] %}{% for b in [3] %}{{ a }}{{ b }}{% endfor %}{% endfor %}",
          "{% set f = 'x' %}{% for f in [1] %}{% endfor %}{{ f }}", "{% set ns = namespace(c=0) %}{% for i in range(3) %}{% set ns.c = ns.c + i %}{% endfor %}{{ ns.c }}",
          "{% set ns = namespace(c=0) %}{% macro m() %}{% set ns.c = 5 %}{% endmacro %}{{ m() }}{{ ns.c }}",
          "{% set a = [] %}{% macro m() %}{{ a.append(1) }}{% endmacro %}{{ m() }}{{ a }}",
          "{% extends 'base.j2' %}{% block a %}{% for i in 'xy' %}{{ loop.index }}{% endfor %}{% endblock %}",
          "{% extends 'base.j2' %}{% macro helper() %}H{% endmacro %}{% block a %}{{ helper() }}{% endblock %}",
          "{% extends 'base.j2' %}{% from 'im.j2' import m %}{% block a %}{{ m() }}{% endblock %}",
          "{% extends 'base.j2' %}{% import 'im.j2' as i %}{% block a %}{{ i.exported }}{% endblock %}",
          "{% extends 'base.j2' %}{% block a %}{{ n }}{% set n = 0 %}{% endblock %}",
          "{% block a %}{{ loopv | default('u') }}{% endblock %}{% set loopv = 1 %}",
          "{% for i in 'ab' %}{% block blk scoped %}{{ i }}{{ loop.index }}{% endblock %}{% endfor %}",
          "{{ self.a() }}{% block a %}A{% endblock %}", "{{ self.nope() }}", "{{ self.a }}{% block a %}A{% endblock %}"]:
    A(t, files=FILES)

# ---- more filter keyword/edge values
A = fam('filters2')
for t in ["{{ 'abc' | center(width=7, fillchar='x') }}", "{{ l | join(d='x') }}", "{{ l | sort(attribute='0') }}",
          "{{ nested | sort(attribute='0') }}", "{{ users | map(attribute='name') | map('upper') | join }}",
          "{{ users | selectattr('age', 'gt', 26) | map(attribute='name') | list }}", "{{ users | map('attr', 'name') | list }}",
          "{{ [1, 2] | map('string') | join('+') }}", "{{ l | map('default', 0) | list }}", "{{ [none, 1] | map('default', 0) | list }}",
          "{{ ['a', 'b'] | map('format') | list }}", "{{ [['a', 1]] | map('join', '=') | list }}",
          "{{ [3, 2] | map('round') | list }}", "{{ [2.555] | map('round', 2) | list }}",
          "{{ 2.555 | round(2) }}", "{{ 1.005 | round(2) }}", "{{ 0.125 | round(2) }}", "{{ 1e20 | round }}",
          "{{ -0.4 | round }}", "{{ 5 | round(1) }}", "{{ 5.55 | round(1, 'floor') }}", "{{ -5.55 | round(1, 'ceil') }}",
          "{{ 'x' | indent(width=3, first=true) }}", "{{ 'a\\nb' | indent(0) }}", "{{ 'a\\n b' | indent(-1) }}",
          "{{ '1' | int + 1 }}", "{{ '08' | int }}", "{{ '0x' | int(7, 16) }}", "{{ 'ff' | int(base=16) }}", "{{ '12' | int(base=3) }}",
          "{{ '９' | int }}", "{{ '1.5e2' | float }}", "{{ '-.5' | float }}", "{{ '1.' | float }}", "{{ 'Infinity' | float }}",
          "{{ true | float }}", "{{ [] | float }}", "{{ 2 ** 53 | float }}", "{{ 1e16 | int }}", "{{ 1e300 | int }}",
          "{{ -1e-300 | string }}", "{{ 0.1 | string }}", "{{ 1/3 | string }}", "{{ 2.0 ** 70 }}", "{{ 1.23456789e-7 }}",
          "{{ [0.1, 1e-10, 1e16, 123.0] }}", "{{ 3.0 | int }}", "{{ -3.9 | int }}",
          "{{ l | batch(2, fill_with=none) | list }}", "{{ 'abcde' | batch(2) | list }}", "{{ 'abcde' | slice(2) | list }}",
          "{{ l | first(2) }}", "{{ l | random is defined }}" if False else "{{ 'a' | first }}",
          "{{ users | groupby('age') | map(attribute='grouper') | list }}", "{{ (users | groupby('age'))[0].list | length }}",
          "{{ users | groupby('age') | first }}", "{{ [{'a': {'b': 1}}, {'a': {'b': 0}}] | groupby('a.b') | list }}",
          "{{ [{'a': {'b': 2}}, {'a': {'b': 1}}] | sort(attribute='a.b') }}", "{{ [{'a': [5]}, {'a': [3]}] | map(attribute='a.0') | list }}",
          "{{ users | sum(attribute='age', start=1) }}", "{{ users | max(attribute='name', case_sensitive=true) }}",
          "{{ ['B', 'a'] | min }}", "{{ ['B', 'a'] | min(case_sensitive=true) }}", "{{ 'baA' | max }}", "{{ d | max }}",
          "{{ ['a', 'B', 'A'] | unique(case_sensitive=false) | list }}", "{{ 'aAb' | unique | list }}",
          "{{ d | dictsort(true) }}", "{{ {'a': 2, 'B': 1} | dictsort(by='key', reverse=true) }}",
          "{{ {'a': 'B', 'b': 'a'} | dictsort(by='value') }}", "{{ {'a': 1} | dictsort(by='value', case_sensitive=true) }}",
          "{{ 'a b' | wordwrap(1) }}", "{{ 'long words here and there' | wordwrap(10, true, '\\n', false) }}",
          "{{ 'x' * 90 | wordwrap }}", "{{ 'abc def' | wordwrap(width=3, break_long_words=false) }}",
          "{{ 'a-b-c-d-e' | wordwrap(4) }}", "{{ 'abcdef ghi' | truncate(8, end='') }}", "{{ '' | truncate(0) }}",
          "{{ 'abcd' | truncate(3, true, '', 0) }}", "{{ 'a b c d e f' | truncate(7, false, '..', 0) }}",
          "{{ 'hello' | replace('l', '') }}", "{{ 'a.b.c' | replace('.', '/', -1) }}", "{{ 'aaa' | replace('a', 'b', 0) }}",
          "{{ 'x' | default(none) }}", "{{ none | default }}", "{{ nothere | default(nothere2) }}", "{{ nothere | default(nothere2) | default('z') }}",
          "{{ {'a': 1} | items | map('list') | list }}", "{{ d | list | join }}", "{{ 'x' | length }}",
          "{{ [3, 1] | sort(true) }}", "{{ ['b', 'a'] | sort(reverse=false, case_sensitive=false, attribute=none) }}",
          "{{ 'a\\n\\nb' | wordcount }}", "{{ 'don\\'t stop' | wordcount }}", "{{ 'a1 b2' | wordcount }}",
          "{{ 1024 ** 3 | filesizeformat(true) }}", "{{ 1023 | filesizeformat(true) }}", "{{ 1.5 | filesizeformat }}",
          "{{ 1e24 | filesizeformat }}", "{{ 1e27 | filesizeformat }}", "{{ 2 ** 80 | filesizeformat }}" if False else "{{ 1e28 | filesizeformat(true) }}",
          "{{ 'A\\tb' | striptags }}", "{{ '<a\\nb>x</a>' | striptags }}", "{{ 'a &nbsp; b &copy;' | striptags }}",
          "{{ '<script>x</script>y' | striptags }}", "{{ '&unknown; &#x41; &#65;' | striptags }}",
          "{{ 'a' | tojson(indent=none) }}", "{{ [1, [2]] | tojson(indent=1) }}", "{{ {'a': {}} | tojson(indent=2) }}",
          "{{ '<>&\\'' | tojson }}", "{{ '\\u2028' | tojson }}", "{{ 'x\\ny\\t\\x01' | tojson }}", "{{ [0.1, 1e16, -0.0] | tojson }}",
          "{{ (1, 2) | tojson }}", "{{ t | tojson }}", "{{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}",
          "{{ 'a' | urlencode }}", "{{ 'a+b =c' | urlencode }}", "{{ '\\u65e5' | urlencode }}", "{{ {'a': '/'} | urlencode }}",
          "{{ [('a', 1), ('b', none)] | urlencode }}", "{{ none | urlencode }}", "{{ 3.5 | urlencode }}",
          "{{ {'class': 'a', 'x': 1.5, 'y': 0} | xmlattr }}", "{{ {'a': none, 'b': nothere} | xmlattr }}",
          "{{ {'a': \"'\"} | xmlattr }}", "{{ {'a>': 1} | xmlattr }}", "{{ {'a=': 1} | xmlattr }}", "{{ {'a/': 1} | xmlattr }}",
          "{{ 'AbC' | swapcase }}", "{{ s | wordcount }}", "{{ 'x' | capitalize | center(3) }}"]:
    A(t)

# ---- sandbox, calls and misc expressions
A = fam('sandbox')
for t in ["{{ '{0.__class__}'.format(1) }}", "{{ '{0.__class__.__base__}'.format(s) }}", "{{ s.__class__.__name__ }}",
          "{{ range.__self__ }}", "{{ cycler.__init__ }}", "{{ l.__iter__ }}", "{{ d._private }}", "{{ users[0]._x }}",
          "{{ d.__class__ }}", "{{ (1).__add__(2) }}", "{{ l.pop.__self__ }}", "{{ namespace.__name__ }}",
          "{{ s.format('{0.__doc__}') }}", "{{ '%s' % s.__class__ }}", "{{ d.items.__func__ }}", "{{ users | map(attribute='__class__') | list }}",
          "{{ users | attr('__len__') }}", "{{ l | attr('append') }}", "{{ dict.__name__ }}", "{{ joiner.__globals__ }}",
          "{{ range(10000000) | length }}", "{{ range(100000000) | list | length }}", "{{ 'a' * 100000000 | length }}",
          "{{ [1] * 1000000 | length }}", "{{ d.get }}", "{{ s.upper() | length }}", "{{ (l.append)(4) }}{{ l }}",
          "{{ (s.split)()[0] }}", "{{ s.split(sep=' ') }}", "{{ s.upper(1) }}", "{{ s.split(' ', -1) }}",
          "{{ s.replace(old='l', new='L') }}", "{{ s.startswith() }}", "{{ l.index(1, 0, 1) }}", "{{ dict(a=1) is mapping }}",
          "{{ dict([('a', 1)]) }}", "{{ dict(1) }}", "{{ range(1, 2, 3, 4) }}", "{{ range(a=1) }}", "{{ cycler() }}", "{{ joiner() }}",
          "{{ 1 is defined(1) }}", "{{ foo(bar=1) }}", "{{ l.count() }}", "{{ d.update(1) }}"]:
    A(t)

# ---- lexing and unicode template text
A = fam('lexing')
for t in ["h\u00e9llo {{ '\u00e9' }} \U0001F600 \u65e5\u672c", "{{ \u00e9 }}", "{% set \u00e9 = 1 %}{{ \u00e9 }}",
          "{{ 'a' }}{{ \"b\" }}{{ '''c''' }}", "{{'x'}}", "{{- 'x' -}}", "{{ 1 -}} {{- 2 }}", "{{ 1 - -1 }}", "{{ 1--1 }}",
          "{{ 1 -1 }}", "{{ n-1 }}", "{{ n -1 }}", "{{ l|length }}", "{{ l | length}}", "{%if 1%}x{%endif%}",
          "{%- if 1 -%} x {%- endif -%}", "{{ 'a\\\nb' }}", "{{ 'multi\nline' }}", "{{\n1\n+\n2\n}}", "{% if\n1\n%}y{% endif %}",
          "{{ 'unterminated }}", "{{ \"}}\" }}", "{{ '%}' }}", "{{ '{#' }}", "{# {{ x }} #}{{ 1 }}", "{#}x#}y",
          "{{ x\u00a0}}", "{{ 1\t+\t2 }}", "{{ 1 if 1 else 0 if 1 }}", "{{ a.b.c }}", "{{ l[0:1][0] }}", "{{ (1) }}",
          "{{ ((1, 2)) }}", "{{ [(1, 2)] }}", "{{ {'a': (1, 2)} }}", "{{ (1, 2)[0] }}", "{{ [1, 2] | first | string }}",
          "{{ 'a' 'b' 'c' }}", "{{ 'a' ~ 'b' ~ 'c' }}", "{{ l|map('string')|join('') }}", "{{ 1.e5 }}", "{{ 1e5.0 }}",
          "{{ 1..real }}", "{{ 1 .real }}", "{{ n.real }}", "{{ 0.5.real }}", "{{ l.0.real }}", "{{ nested.0.1 }}",
          "{{ nested.1.0 }}", "{{ nested[1].1.0 }}", "{{ users.0.name }}", "{{ 'x'.0 }}", "{{ 007 }}", "{{ 0_0 }}",
          "{{ 1__0 }}", "{{ 1_ }}", "{{ 0x_1F }}", "{{ 0b2 }}", "{{ 0xG }}", "{{ 1e }}", "{{ 1e+5 }}",
          "{{ '\\N{BULLET}' }}", "{{ '\\U0001F600' }}", "{{ '\\q' }}", "{{ '\\0' }}", "{{ '\\101' }}", "{{ '\\x4' }}",
          "\r\n{{ 1 }}\r\n", "{% raw -%}  x  {%- endraw %}", "{%- raw %}  x  {% endraw -%}  ", "{{ raw }}",
          "{% set x = 'endraw' %}{{ x }}", "{% for in l %}{% endfor %}", "{% for x in %}{% endfor %}", "{{ not }}",
          "{{ true.real }}", "{{ None.x }}", "{{ (none).x }}", "{{ 'a' is 'a' }}", "{{ 1 is 1 }}", "{{ 1 is not }}"]:
    A(t)

# ---- number attributes and methods
A = fam('numbers')
for t in ["{{ n.imag }}", "{{ n.numerator }}", "{{ n.denominator }}", "{{ n.bit_length() }}", "{{ f.is_integer() }}",
          "{{ one_f.is_integer() }}", "{{ f.as_integer_ratio() }}", "{{ n.conjugate() }}", "{{ f.hex() }}", "{{ (255).to_bytes(2, 'big') }}",
          "{{ n.__abs__() }}", "{{ t.real }}", "{{ f.real }}", "{{ f.imag }}", "{{ (-5).bit_count() }}", "{{ n | abs | string | length }}",
          "{{ 10 / 4 }}", "{{ 10 // 4 }}", "{{ 10 % 4 }}", "{{ 2 ** 10 }}", "{{ 2.5 ** 2 }}", "{{ (-2) ** 3 }}", "{{ -2 ** 0.5 }}",
          "{{ 1e308 * 10 }}", "{{ 1e308 * 10 - 1e308 * 10 }}", "{{ (1e308 * 10) | int }}", "{{ 9223372036854775807 + 1 }}",
          "{{ 3 == 3.0 }}", "{{ {1: 'a'}[1.0] }}", "{{ [1, 2][1.0] }}", "{{ 0.1 * 3 }}", "{{ 1e15 + 0.3 }}", "{{ 2 ** 63 - 1 + 0 }}",
          "{{ -9223372036854775807 - 1 }}", "{{ (-9223372036854775807 - 1) // -1 }}", "{{ 7 // 0.0 }}", "{{ 7 % 0.0 }}",
          "{{ 5 / 2 * 2 }}", "{{ 1 / 3 * 3 == 1 }}", "{{ 2 ** 0 }}", "{{ 0.0 ** 0 }}", "{{ 10 ** -2 }}", "{{ 3 * true }}",
          "{{ 1 < 2.5 }}", "{{ t < 2 }}", "{{ [t, 0] | sort }}", "{{ [3, 2.5, true] | max }}", "{{ [1, 2.5] | sum }}",
          "{{ 1.5 | int }}", "{{ 100000000000000000000.0 }}", "{{ 1.0e-4 }}", "{{ 0.0001234 }}", "{{ 1234567890123456.7 }}",
          "{{ 12345678901234567.0 }}", "{{ -1e-7 }}", "{{ 2.5e-5 | string }}", "{{ (0.1 + 0.2) | round(15) }}"]:
    A(t)
for t in ["{{ x | float | int }}", "{{ (x | float) // 1 }}", "{{ '%d' % (x | float) }}", "{{ (x | float) | round | int }}",
          "{{ '{:f}'.format(x | float) }}", "{{ (x | float) | tojson }}", "{{ [x | float] }}", "{{ (x|float) is integer }}",
          "{{ ((x | float) * 0) }}", "{{ ((x | float) * 0) | int }}", "{{ (x | float) | filesizeformat }}"]:
    A(t, ctx={'x': 'inf'})
    A(t, ctx={'x': '-inf'})

# ---- call blocks, recursion and loop corner cases
A = fam('calls')
for t in ["{% macro list(items) %}<ul>{% for i in items %}<li>{{ caller(i) }}</li>{% endfor %}</ul>{% endmacro %}{% call(x) list(l) %}[{{ x }}]{% endcall %}",
          "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}{% set c = 0 %}{% call m() %}x{% endcall %}",
          "{% macro m() %}{{ caller(1) }}{% endmacro %}{% call(a, b=2) m() %}{{ a }}{{ b }}{% endcall %}",
          "{% macro m() %}{{ caller() }}{% endmacro %}{% call(a) m() %}{{ a }}{% endcall %}",
          "{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(a) m() %}{{ a }}{% endcall %}",
          "{% macro m() %}{{ caller(b=1) }}{% endmacro %}{% call(a) m() %}{{ a }}{% endcall %}",
          "{% macro m() %}{{ caller.name }}|{{ caller.arguments }}{% endmacro %}{% call(a) m() %}{% endcall %}",
          "{% macro m() %}{{ kwargs }}{% endmacro %}{% call m(x=1) %}{% endcall %}",
          "{% macro outer() %}O[{{ caller() }}]{% endmacro %}{% macro inner() %}I[{{ caller() }}]{% endmacro %}{% call outer() %}{% call inner() %}z{% endcall %}{% endcall %}",
          "{% macro tree(t) %}{% for k, v in t.items() %}{{ k }}{% if v is mapping %}({{ tree(v) }}){% endif %}{% endfor %}{% endmacro %}{{ tree({'a': {'b': {'c': 1}}, 'd': 2}) }}",
          "{% for i in l %}{% set i2 = i * 2 %}{{ i2 }}{% endfor %}{{ i2 is defined }}",
          "{% for a, b in d | dictsort %}{{ loop.index }}{{ a }}{{ b }}{% endfor %}",
          "{% for x in [1, 2, 3] %}{{ loop.changed(x is odd) }}{% endfor %}",
          "{% for x in [1, 1] %}{{ loop.changed(x, 1) }}{{ loop.changed(x, 1) }}{% endfor %}",
          "{% for x in [] recursive %}{% endfor %}x", "{% for x in [[]] recursive %}[{{ loop(x) }}]{% endfor %}",
          "{% for x in [1] %}{{ loop(x) }}{% endfor %}", "{% for x in range(3) %}{{ loop.index }}{% if loop.last %}!{% endif %}{% endfor %}",
          "{% for x in l %}{{ l | length }}{% endfor %}", "{% for x in l | reverse %}{{ loop.revindex }}{% endfor %}",
          "{% for x in users | sort(attribute='name') %}{{ x.name[0] }}{% endfor %}", "{% for x in 'ab' %}{{ loop.previtem | default('-') }}{% endfor %}",
          "{% for x in range(3) recursive %}{{ x }}{% endfor %}", "{% for x, in [[1], [2]] %}{{ x }}{% endfor %}",
          "{% for x in l %}{{ loop.cycle(*['a', 'b']) }}{% endfor %}", "{% for k, v in {'a': 1} %}{% endfor %}",
          "{% for x in d.items() | list | reverse %}{{ x[0] }}{% endfor %}", "{% for x in (1, 2) %}{{ x }}{% else %}e{% endfor %}",
          "{% for x in l if false %}{% else %}E{{ loop is defined }}{% endfor %}"]:
    A(t)
    A(t, opts=['--trim-blocks', '--lstrip-blocks'])

# ---- hashing and equality of keys, reprs
A = fam('reprs')
for t in ["{{ {1: 'a', true: 'b'} }}", "{{ {1: 2, '1': 3} }}", "{{ {1.0: 'a'}[1] }}", "{{ {0: 'z'}[false] }}",
          "{{ {'a': 1} == {'a': 1.0} }}", "{{ [1, 2] != (1, 2) }}", "{{ [1.0, 2] }}", "{{ (1.0,) }}", "{{ [-0.0] }}",
          "{{ [1e16, 1e-5, 0.1 + 0.2] }}", "{{ {'a': 'it\\'s'} }}", "{{ ['a\"b', \"a'b\", 'a\\'\"b'] }}", "{{ ['\\n\\r\\t\\x0b'] }}",
          "{{ ['\\u00a0', '\\u200b', '\\x80', '\\u2028', '\\U0001F600', '\\ud7ff'] }}", "{{ [none, true, false] }}",
          "{{ range(0) }}", "{{ range(-1, -5, -2) }}", "{{ d.items() | list }}", "{{ users | groupby('age') | first }}",
          "{{ (users | groupby('age') | first).grouper }}", "{{ namespace(a=1) }}", "{{ dict(a=[1, (2,)]) }}",
          "{{ [range(2)] }}", "{{ [l | sort] }}", "{{ [html | safe] }}", "{{ [html | e] }}", "{{ {'k': html | safe} }}",
          "{{ ['x' | safe] | string }}", "{{ [1, 'a'] | string }}", "{{ 'x' | pprint }}", "{{ [[1, 2]] | pprint }}",
          "{{ {'b': [1], 'a': {'c': 'd'}} | pprint }}", "{{ range(40) | list | pprint }}", "{{ [('a' * 30)] * 4 | pprint }}",
          "{{ {'k' ~ i: i for i in l} }}" , "{{ l | map('string') | list | pprint }}"]:
    A(t)


# ---- CLI contract
def cli(tpl_files, args, expect, stdin=None, note=''):
    """expect(tmpdir) -> (rc, stdout, errclass) from the oracle."""
    CASES.append(Case('cli', None, files=tpl_files, args=args, stdin=stdin,
                      oracle=expect, note=note))


def py_ctx(d, sources, tpl='main.j2', opts=(), source=None, search=None):
    ctx = {}
    for kind, v in sources:
        if kind == 'json':
            with open(os.path.join(d, v), encoding='utf-8') as fh:
                ctx.update(json.load(fh))
        elif kind == 'yaml':
            with open(os.path.join(d, v), encoding='utf-8') as fh:
                ctx.update(yaml.safe_load(fh))
        else:
            k, _, val = v.partition('=')
            ctx[k] = val  # a -D value is read as a string
    return py_render(search or [d], tpl, ctx, opts, source)


J1 = '{"a": 1, "b": {"c": [1, 2.0, null, true]}, "z": 1.0, "k": "\\u00e9\\ud83d\\ude00"}'
J2 = '{"a": "two", "y": false}'
Y1 = ("a: 1\nb:\n  c: [1, 2.0, ~, yes, true]\nlist:\n  - x\n  - {k: v}\n"
      "date: 2024-01-02\noct: 0o17\nold_oct: 017\nhex: 0x1f\nf: 1e3\n"
      "s: 'quoted'\nmulti: |\n  line1\n  line2\nnull2: null\nu: h\u00e9\ninf: .inf\n"
      "keys:\n  zeta: 1\n  alpha: 2\n  10: ten\n")
SHOW = ("{% for k, v in ctx_items %}{% endfor %}a={{ a }}|{{ a is number }}|b={{ b }}|z={{ z }}|"
        "{{ z is float }}|k={{ k }}|y={{ y }}")
cli({'main.j2': SHOW, 'c1.json': J1, 'c2.json': J2},
    ['--context', 'c1.json', 'main.j2'], lambda d: py_ctx(d, [('json', 'c1.json')]))
cli({'main.j2': SHOW, 'c1.json': J1, 'c2.json': J2},
    ['--context', 'c1.json', '--context', 'c2.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c1.json'), ('json', 'c2.json')]))
cli({'main.j2': SHOW, 'c1.json': J1, 'c2.json': J2},
    ['--context', 'c1.json', '-D', 'a=cli', '--context', 'c2.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c1.json'), ('D', 'a=cli'), ('json', 'c2.json')]))
cli({'main.j2': SHOW, 'c1.json': J1, 'c2.json': J2},
    ['--context', 'c2.json', '-D', 'a=cli', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c2.json'), ('D', 'a=cli')]))
for dv in ['x=1', 'x=1.0', 'x=true', 'x=', 'x=a=b', 'x= sp ', 'x=null', 'x=[1,2]', 'x=\u00e9']:
    cli({'main.j2': '[{{ x }}]{{ x is string }}{{ x is number }}{{ x | length }}'},
        ['-D', dv, 'main.j2'], lambda d, dv=dv: py_ctx(d, [('D', dv)]),
        note='-D value read as a string')
    cli({'main.j2': '{{ x + 1 }}'}, ['-D', dv, 'main.j2'],
        lambda d, dv=dv: py_ctx(d, [('D', dv)]), note='-D value read as a string')
cli({'main.j2': '{{ x }}'}, ['-Dx=glued', 'main.j2'], lambda d: py_ctx(d, [('D', 'x=glued')]))
cli({'main.j2': '{{ x }}'}, ['-D', 'x=1', '-D', 'x=2', 'main.j2'], lambda d: py_ctx(d, [('D', 'x=2')]))
KEYS = '{% for k, v in ctx.items() %}{{ k }}={{ v }};{% endfor %}{{ ctx | tojson }}'
cli({'main.j2': KEYS, 'o.json': '{"ctx": {"b": 1, "a": 2, "c": {"z": 1, "y": 2}, "n": 1.0, "m": 1, "big": 9007199254740993, "neg": -0.0, "e": 1e300, "sm": 1.5e-10}}'},
    ['--context', 'o.json', 'main.j2'], lambda d: py_ctx(d, [('json', 'o.json')]))
cli({'main.j2': '{{ ctx.n }} {{ ctx.m }} {{ ctx.n == ctx.m }} {{ ctx.n is float }} {{ ctx.e }} {{ ctx.sm }} {{ ctx.big }} {{ ctx.neg }} {{ ctx.f2 }} {{ ctx.f3 }}',
     'o.json': '{"ctx": {"n": 1.0, "m": 1, "e": 1E2, "sm": 1.5e-10, "big": 9223372036854775807, "neg": -0.0, "f2": 10.50, "f3": 1e400}}'},
    ['--context', 'o.json', 'main.j2'], lambda d: py_ctx(d, [('json', 'o.json')]))
cli({'main.j2': '{{ ctx.k }}|{{ ctx.k | length }}|{{ ctx.n is none }}|{{ ctx.t }}|{{ ctx.t is true }}|{{ ctx.esc }}',
     'o.json': '{"ctx": {"k": "\\u00e9\\ud83d\\ude00\u65e5", "n": null, "t": true, "esc": "a\\"b\\\\c\\n\\/"}}'},
    ['--context', 'o.json', 'main.j2'], lambda d: py_ctx(d, [('json', 'o.json')]))
cli({'main.j2': '{{ a }}', 'dup.json': '{"a": 1, "a": 2}'}, ['--context', 'dup.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'dup.json')]))
cli({'main.j2': '{{ b.c }}|{{ b.c[3] is true }}|{{ b.c[2] is none }}|{{ list }}|{{ date }}|{{ oct }}|{{ old_oct }}|{{ hex }}|{{ f }}|{{ f is float }}|{{ s }}|{{ multi }}|{{ null2 }}|{{ u }}|{{ inf }}|{% for k in keys %}{{ k }},{% endfor %}',
     'c.yaml': Y1}, ['--context', 'c.yaml', 'main.j2'], lambda d: py_ctx(d, [('yaml', 'c.yaml')]),
    note='YAML scalars as PyYAML safe_load reads them')
cli({'main.j2': '{{ a }}{{ b }}', 'c.yml': 'a: 1\nb: two\n', 'c.json': '{"a": 5}'},
    ['--context', 'c.yml', '--context', 'c.json', 'main.j2'],
    lambda d: py_ctx(d, [('yaml', 'c.yml'), ('json', 'c.json')]))
cli({'main.j2': '{{ a }}', 'c.yaml': '- 1\n- 2\n'}, ['--context', 'c.yaml', 'main.j2'],
    lambda d: (1, '', '?'), note='a list context must fail')
cli({'main.j2': '{{ a }}', 'c.json': '{bad'}, ['--context', 'c.json', 'main.j2'],
    lambda d: (1, '', '?'), note='bad JSON must fail')
cli({'main.j2': '{{ a }}'}, ['--context', 'nosuch.json', 'main.j2'], lambda d: (1, '', '?'),
    note='missing context must fail')
cli({'main.j2': '{{ a }}', 'c.yaml': ''}, ['--context', 'c.yaml', 'main.j2'],
    lambda d: py_render([d], 'main.j2', {}, ()), note='empty YAML -> None in Python (not a mapping)')
cli({'main.j2': '{{ a }}', 'c.yaml': 'a: &x 1\nb: *x\n'}, ['--context', 'c.yaml', 'main.j2'],
    lambda d: py_ctx(d, [('yaml', 'c.yaml')]))
cli({'main.j2': 'x{{ n }}\n'}, ['-D', 'n=1', '-o', 'out.txt', 'main.j2'],
    lambda d: (0, '', ''), note='-o: stdout must be empty')
cli({'main.j2': 'x{{ n }}\n', 'read.j2': "{% include 'out.txt' %}"},
    ['-D', 'n=1', '-o', 'out.txt', 'main.j2'], lambda d: (0, '', ''), note='-o writes file')
cli({}, ['-'], lambda d: py_render([d], None, {}, (), source='a {{ 1 + 1 }}\n'), stdin='a {{ 1 + 1 }}\n')
cli({}, ['--keep-trailing-newline', '-'], lambda d: py_render([d], None, {}, ('--keep-trailing-newline',), source='a\n\n'), stdin='a\n\n')
cli({'inc.j2': 'INC'}, ['--search-path', '.', '-'], lambda d: py_render([d], None, {}, (), source="{% include 'inc.j2' %}"),
    stdin="{% include 'inc.j2' %}")
cli({}, ['-'], lambda d: (1, '', 'TemplateSyntaxError'), stdin='{% if %}')
cli({}, ['nosuch.j2'], lambda d: (1, '', 'TemplateNotFound'))
cli({'main.j2': '{% if %}'}, ['main.j2'], lambda d: (1, '', 'TemplateSyntaxError'))
cli({'main.j2': '{{ 1 / 0 }}'}, ['main.j2'], lambda d: (1, '', 'ZeroDivisionError'))
cli({}, ['-'], lambda d: (1, '', 'TemplateSyntaxError'), stdin='{% if %}', note='class-first')
cli({}, ['nosuch.j2'], lambda d: (1, '', 'TemplateNotFound'), note='class-first')
cli({'main.j2': '{% if %}'}, ['main.j2'], lambda d: (1, '', 'TemplateSyntaxError'), note='class-first')
cli({'main.j2': '{{ 1 / 0 }}'}, ['main.j2'], lambda d: (1, '', 'ZeroDivisionError'), note='class-first')
cli({'main.j2': '{{ a }}', 'c.json': '{bad'}, ['--context', 'c.json', 'main.j2'],
    lambda d: (1, '', 'JSONDecodeError'), note='class-first')
cli({'main.j2': '{{ x.y }}'}, ['main.j2'], lambda d: (1, '', 'UndefinedError'))
cli({'main.j2': '{{ x }}'}, ['--strict-undefined', 'main.j2'], lambda d: (1, '', 'UndefinedError'))
cli({'main.j2': "{{ ''.__class__.__mro__ }}"}, ['main.j2'], lambda d: py_render([d], 'main.j2', {}, ()))
cli({'main.j2': "{{ range.__call__ }}"}, ['main.j2'], lambda d: py_render([d], 'main.j2', {}, ()))
cli({'main.j2': "{{ x.__class__ }}"}, ['-D', 'x=1', 'main.j2'], lambda d: py_ctx(d, [('D', 'x=1')]))
cli({'main.j2': 'a\n'}, ['main.j2'], lambda d: (0, 'a', ''))
cli({'main.j2': 'a\n'}, ['--keep-trailing-newline', 'main.j2'], lambda d: (0, 'a\n', ''))
cli({'main.j2': 'a\r\n'}, ['main.j2'], lambda d: py_render([d], 'main.j2', {}, ()))
cli({'main.j2': 'a\r\nb\r\n'}, ['--keep-trailing-newline', 'main.j2'], lambda d: py_render([d], 'main.j2', {}, ('--keep-trailing-newline',)))
cli({'main.j2': '\ufeffbom'}, ['main.j2'], lambda d: py_render([d], 'main.j2', {}, ()))
cli({'sub/main.j2': "{% include 'inc.j2' %}", 'inc.j2': 'root', 'sub/inc.j2': 'sub'},
    ['--search-path', 'sub', '--search-path', '.', 'main.j2'], lambda d: py_render([os.path.join(d, 'sub'), d], 'main.j2', {}, ()))
cli({'a/main.j2': "{% include 'x.j2' %}", 'a/x.j2': 'A', 'b/x.j2': 'B'},
    ['--search-path', 'b', '--search-path', 'a', 'main.j2'], lambda d: py_render([os.path.join(d, 'b'), os.path.join(d, 'a')], 'main.j2', {}, ()))
cli({'sub/t.j2': "{% include '../inc.j2' %}", 'inc.j2': 'x'}, ['--search-path', 'sub', 't.j2'],
    lambda d: py_render([os.path.join(d, 'sub')], 't.j2', {}, ()))
cli({'main.j2': '{{ x }}'}, ['../main.j2'], lambda d: py_render([d], '../main.j2', {}, ()))
cli({'sub/t.j2': "T"}, ['sub/t.j2'], lambda d: py_render([d], 'sub/t.j2', {}, ()))
cli({'sub/t.j2': "T"}, ['./sub/t.j2'], lambda d: py_render([d], './sub/t.j2', {}, ()))
cli({'main.j2': '\u00ff\u0000x'}, ['main.j2'], lambda d: py_render([d], 'main.j2', {}, ()))
cli({'main.j2': '{{ a }}'}, ['--context', 'c.json', 'main.j2', 'extra'], lambda d: (1, '', '?'), note='two templates')
cli({'main.j2': 'x'}, ['--bogus', 'main.j2'], lambda d: (1, '', '?'), note='unknown option')
cli({'main.j2': '{{ x }}'}, ['-D', 'noeq', 'main.j2'], lambda d: (1, '', '?'), note='-D without =')

Y2 = ("b1: yes\nb2: no\nb3: on\nb4: off\nb5: True\nb6: FALSE\nn1: ~\nn2: Null\nf1: 1.0\nf2: .5\nf3: -.inf\nf4: .NaN\n"
      "f5: 1.5e3\nf6: 6.8523015e+5\ni1: -0\ni2: +12\ni3: 1_000\ni4: 0b101\ni5: 190:20:30\nstr1: '1.0'\nstr2: \"a\\tb\"\n"
      "ts: 2001-12-14t21:59:43.10-05:00\nk:\n  1: int\n  1.5: float\n  true: bool\n  ~: none\n"
      "base: &b {x: 1, y: 2}\nmerged:\n  <<: *b\n  y: 3\nfolded: >\n  a\n  b\nempty:\nlst: [a, 'b', 1]\n")
for expr in ['b1', 'b2', 'b3', 'b4', 'b5', 'b6', 'n1', 'n2', 'f1', 'f2', 'f3', 'f4 is number', 'f5', 'f6', 'i1', 'i2', 'i3', 'i4',
             'i5', 'str1', 'str2', 'ts', 'k', 'merged', 'folded', 'empty', 'lst', 'k[1]', 'k[true]', 'k[none]']:
    cli({'main.j2': '{{ %s }}|{{ (%s) is string }}' % (expr, expr), 'c.yaml': Y2}, ['--context', 'c.yaml', 'main.j2'],
        lambda d: py_ctx(d, [('yaml', 'c.yaml')]), note='YAML scalar as PyYAML safe_load reads it')
J3 = json.dumps({'deep': [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]], 'nul': 'a\u0000b', 'sur': '\ud83d\ude00',
                 'e1': 1E+2, 'e2': -0, 'e3': 0.1, 'e4': 1.7976931348623157e308, 'e5': 5e-324, 'e6': 123456789.0,
                 'e7': 1e16, 'e8': 12.0, 'uni': '\u00e9\u65e5', 'keys': {'z': 1, '': 2, ' ': 3, '1': 4}})
for expr in ['deep', 'nul | length', 'sur', 'sur | length', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'uni', 'keys',
             "keys['']", 'keys | tojson', 'e8 | tojson', 'e7 | tojson', '[e1, e8] | sum']:
    cli({'main.j2': '{{ %s }}' % expr, 'c.json': J3}, ['--context', 'c.json', 'main.j2'],
        lambda d: py_ctx(d, [('json', 'c.json')]))
cli({'main.j2': '{{ a }}', 'c.json': '[1, 2]'}, ['--context', 'c.json', 'main.j2'], lambda d: (1, '', '?'),
    note='top-level JSON array must fail')
cli({'main.j2': '{{ a }}', 'c.json': '{"a": 1} trailing'}, ['--context', 'c.json', 'main.j2'], lambda d: (1, '', '?'),
    note='trailing garbage in JSON must fail')
cli({'main.j2': '{{ a }}', 'c.json': '{"a": NaN}'}, ['--context', 'c.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c.json')]), note='Python json accepts NaN')
cli({'main.j2': '{{ a }}', 'c.json': '{"a": Infinity}'}, ['--context', 'c.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c.json')]), note='Python json accepts Infinity')
cli({'main.j2': '{{ a }}', 'c.json': '\ufeff{"a": 1}'}, ['--context', 'c.json', 'main.j2'],
    lambda d: (0, '1', ''), note='UTF-8 BOM in JSON (Python json.load with utf-8 rejects; utf-8-sig accepts)')
cli({'main.j2': '{{ a.b }}|{{ a.c }}', 'c1.json': '{"a": {"b": 1, "c": 2}}', 'c2.json': '{"a": {"b": 9}}'},
    ['--context', 'c1.json', '--context', 'c2.json', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c1.json'), ('json', 'c2.json')]), note='override is top-level (shallow)')
cli({'main.j2': '{{ a }}', 'c.txt': '{"a": 1}'}, ['--context', 'c.txt', 'main.j2'], lambda d: (0, '1', ''),
    note='other extension: tried as JSON')
cli({'main.j2': '{{ a }}', 'c.txt': 'a: 2\n'}, ['--context', 'c.txt', 'main.j2'], lambda d: (0, '2', ''),
    note='other extension: then YAML')
cli({'main.j2': '{{ a }}', 'c.yaml': 'a: [1\n'}, ['--context', 'c.yaml', 'main.j2'], lambda d: (1, '', '?'),
    note='bad YAML must fail')
cli({'main.j2': '{{ a }}', 'c.yaml': 'a: 1\n---\na: 2\n'}, ['--context', 'c.yaml', 'main.j2'], lambda d: (1, '', '?'),
    note='multi-document YAML (safe_load raises ComposerError)')
cli({'main.j2': '{{ a }}', 'c.yaml': 'a: !!python/object:os.system x\n'}, ['--context', 'c.yaml', 'main.j2'],
    lambda d: (1, '', '?'), note='unsafe YAML tag must fail')
cli({'main.j2': '{{ a }}', 'c.yaml': 'a: !!str 5\n'}, ['--context', 'c.yaml', 'main.j2'],
    lambda d: py_ctx(d, [('yaml', 'c.yaml')]))
cli({'main.j2': '{{ a }}', 'c.yaml': '? [1, 2]\n: x\n'}, ['--context', 'c.yaml', 'main.j2'], lambda d: (1, '', '?'),
    note='unhashable YAML key (PyYAML ConstructorError)')
cli({'main.j2': '{{ a is none }}', 'c.json': '{"a": null}'}, ['--context', 'c.json', '-D', 'a=', 'main.j2'],
    lambda d: py_ctx(d, [('json', 'c.json'), ('D', 'a=')]))
cli({'main.j2': '{{ x }}'}, ['-D', '=v', 'main.j2'], lambda d: (1, '', '?'), note='-D with empty name')
cli({'main.j2': "{{ self['a.b'] if false }}{{ a }}"}, ['-D', 'a.b=1', 'main.j2'], lambda d: py_ctx(d, [('D', 'a.b=1')]))
cli({'main.j2': 'x'}, ['-o', 'sub/none/out.txt', 'main.j2'], lambda d: (1, '', '?'), note='-o into missing dir')
cli({'main.j2': '{{ 1/0 }}'}, ['-o', 'out.txt', 'main.j2'], lambda d: (1, '', 'ZeroDivisionError'), note='-o on error')
cli({'main.j2': 'x'}, ['--search-path', 'nodir', 'main.j2'], lambda d: (1, '', 'TemplateNotFound'))
cli({'main.j2': 'x'}, ['--search-path=.', 'main.j2'], lambda d: (0, 'x', ''))
cli({'main.j2': '{{ a }}', 'c.json': '{"a": 3}'}, ['--context=c.json', 'main.j2'], lambda d: (0, '3', ''))
cli({'main.j2': '{{ a }}'}, ['main.j2', '-D', 'a=late'], lambda d: (0, 'late', ''), note='options after template')
cli({'main.j2': '{{ x }}'}, ['--strict-undefined', '--autoescape', '-D', 'x=<', 'main.j2'],
    lambda d: py_render([d], 'main.j2', {'x': '<'}, ('--strict-undefined', '--autoescape')))
cli({}, ['-'], lambda d: py_render([d], None, {}, (), source='{% if 1 %}\nx\n{% endif %}\n'),
    stdin='{% if 1 %}\nx\n{% endif %}\n', note='stdin without --trim-blocks')
cli({}, ['-'], lambda d: py_render([d], None, {}, (), source='\u00e9\U0001F600'), stdin='\u00e9\U0001F600')
cli({}, ['-'], lambda d: py_render([d], None, {}, (), source=''), stdin='')
cli({}, ['-'], lambda d: (1, '', 'TemplateNotFound'), stdin="{% include 'nope.j2' %}")
cli({}, ['-'], lambda d: (1, '', 'TemplateNotFound'), stdin="{% extends 'nope.j2' %}")
cli({'main.j2': "{% include 'bad.j2' %}", 'bad.j2': '{{ x.y.z }}'}, ['main.j2'], lambda d: (1, '', 'UndefinedError'))
cli({'main.j2': "{% include 'bad.j2' %}", 'bad.j2': '{% endfor %}'}, ['main.j2'],
    lambda d: (1, '', 'TemplateSyntaxError'))


# --------------------------------------------------------------------------

def same_cli(c, d, ours, theirs):
    rc, out, cls, _ = ours
    prc, pout, pcls = theirs
    if pcls == '?':             # only the exit status is specified
        return rc == prc
    if '-o' in c.args and rc == 0:
        want = py_ctx(d, [('D', 'n=1')])[1]
        with open(os.path.join(d, 'out.txt'), encoding='utf-8') as fh:
            return out == '' and fh.read() == want
    if rc != 0 and prc != 0 and c.note == 'class-first':
        # The contract: 'ClassName: message' first on stderr.
        first = ours[3].splitlines()[0] if ours[3] else ''
        return first.startswith(pcls + ':')
    return same(ours, theirs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--binary', default=DEFAULT_BIN)
    ap.add_argument('--family', action='append')
    ap.add_argument('-v', action='store_true', help='show stderr too')
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    bad = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for c in CASES:
            if a.family and c.family not in a.family:
                continue
            total += 1
            try:
                ours, theirs = run_case(binary, c, tmp)
            except subprocess.TimeoutExpired:
                ours, theirs = (-1, '', 'Timeout', ''), (0, '', '')
            d = None
            if c.args is not None:
                d = max((os.path.join(tmp, x) for x in os.listdir(tmp)),
                        key=os.path.getmtime)
                ok = same_cli(c, d, ours, theirs)
            else:
                ok = same(ours, theirs)
            if ok:
                continue
            bad += 1
            print('--- [%s] %s' % (c.family, c.note))
            if c.args is not None:
                print('  args:  ', c.args)
                print('  files: ', {k: v for k, v in c.files.items()})
                if c.stdin is not None:
                    print('  stdin: ', repr(c.stdin))
            else:
                print('  tmpl:  ', repr(c.tpl))
                if c.opts:
                    print('  opts:  ', ' '.join(c.opts))
                if c.ctx:
                    print('  ctx+:  ', c.ctx)
            print('  ours:   rc=%d out=%r err=%s' % (ours[0], ours[1], ours[2]))
            if a.v:
                print('          stderr=%r' % ours[3])
            print('  python: rc=%d out=%r err=%s' % theirs)
    print('%d cases, %d disagreements' % (total, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
