#!/usr/bin/python3
"""Grammar-based differential test: kolla-render against Python Jinja2.

Generates random templates and contexts from a seeded grammar, renders each
with Python Jinja2 (SandboxedEnvironment, the same options) and with
kolla-render, and requires the same text, or the same error class.

Usage: fuzz_diff.py KOLLA_RENDER [--cases N] [--seed S] [--jobs J]
                    [--show N] [--dump DIR]
Exit status 1 when any case disagrees (the first few are printed with
their template and context so they can become regression tests).
"""

import argparse
import concurrent.futures
import copy
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import jinja2
import jinja2.sandbox

NAMES = ['a', 'b', 'n', 'f', 's', 't', 'lst', 'd', 'users', 'flag', 'none_v',
         'words', 'missing', 'nested', 'empty', 'uni']


def make_context(rng):
    return {
        'a': rng.randint(-5, 20),
        'b': rng.randint(1, 7),
        'n': rng.choice([0, 1, 2, 3, 10]),
        'f': rng.choice([0.5, 1.25, -2.5, 3.0, 0.1, 1e15, 2.675]),
        's': rng.choice(['hello', 'Hello World', 'a-b c', '', 'x\'y', 'q"r',
                         '<b>&', '  pad  ', 'MiXeD cAsE']),
        't': rng.choice(['abc', 'ABC', '1,2,3', 'foo bar baz', 'a.b.c']),
        'lst': rng.choice([[1, 2, 3], [3, 1, 2], ['b', 'a', 'C'], [],
                           [1, 'a', None], [2.5, 1, 3]]),
        'd': rng.choice([{'k': 'v', 'n': 1}, {}, {'b': 2, 'a': 1, 'C': 3},
                         {'items': 5, 'x': [1, 2]}]),
        'users': [{'name': 'bob', 'uid': 2, 'g': 'x'},
                  {'name': 'Al', 'uid': 10, 'g': 'y'},
                  {'name': 'cy', 'uid': 1, 'g': 'x'}],
        'flag': rng.choice([True, False]),
        'none_v': None,
        'words': ['one', 'two', 'three'],
        'nested': {'inner': {'v': [1, {'w': 'deep'}]}, 'list': [[1, 2], [3]]},
        'empty': '',
        'uni': rng.choice(['café', 'ÉCOLE', 'naïve ñ', '日本語', 'ß',
                           'Straße', 'ΟΔΟΣ ΣΑΣ', 'ǆemal ǉ', 'ﬁne ﬃ', 'İi',
                           'ŉ ᾳ ǰ', '中a ʼnx', 'ǅ Σς']),
        'url': rng.choice(['see www.example.com, or (http://x.org/a_(b)).',
                           'mail me@ex.com or mailto:a@b.io!',
                           '<https://h.net/?a=1&b=2> ftp://f/x',
                           'http://[::1]:80/p 10.0.0.1 https://10.0.0.1:8',
                           'no links here', 'x.com y.io WWW.A.B "q"']),
    }


NUM = ['a', 'b', 'n', 'f', '3', '0.5', '(a + b)', '(b * 2)', '(a // b)',
       '(a % b)', '(f * 2)', 'lst|length', 'words|length', '(n ** 2)', '-a',
       '((a - b) * 2)', 'a|abs', 'f|round(1)', '[a, b]|max', '(a / b)',
       "users|sum(attribute='uid')", '(n * f)', 'range(n)|sum', '(b - f)',
       "'3'|int", "'2.5'|float", 'a|float', 'f|int',
       # Ints past 64 bits: literals and arithmetic that overflows int64.
       '(a * 99999999999999999999)', '(2 ** 64 + a)', '(b * 9223372036854775807)',
       '(-9223372036854775807 - b - 1)', '((9223372036854775807 + a) // b)',
       '(10 ** 20 % b)', '((2 ** 63 + a) / b)', '0xffff_ffff_ffff_ffff_ff',
       '(a - 2 ** 64)', "'123456789012345678901234567890'|int",
       '(2 ** 65 * -b)', '(-(2 ** 64) // b)', '(-(2 ** 64) % b)',
       '((2 ** 64) ** 2 // (2 ** 64 - a))', '(a ** 20)', '(2 ** 64)|abs',
       '(n * 2 ** 62 * 4)', "'-0x1_0000_0000_0000_0000'|int(base=0)",
       '[2 ** 64, a, -(2 ** 70)]|max', '[2 ** 64, f, b]|min',
       '[2 ** 63, 2 ** 63, a]|sum', '(2 ** 64 + f)', '((2 ** 64)|float)',
       '((2 ** 60 + a) * (2 ** 60 - b))', '(10 ** 20 + a)|round(-3)']
STR = ['s', 't', 'uni', 's|upper', 't|title', '(s ~ t)', "'%s-%s' % (a, s)",
       "'{}|{}'.format(s, b)", "s.replace('l', 'L')", "t.split(',')|join('+')",
       "words|join(', ')", 'uni|upper', 's|truncate(5)', 's|center(11)',
       "users|map(attribute='name')|join", 'd|dictsort|string',
       't[1:]', 'uni[::-1]', "(s * 2)|trim", 'lst|string', 'd|tojson',
       's|e', 'nested.inner.v|string', "users|selectattr('g', 'equalto', "
       "'x')|map(attribute='name')|list|string", "s|replace(' ', '_')",
       'a|string', 'f|string', '(a ~ f)', "uni|length ~ '!'", 's|title',
       "'%05.1f|%-4d|%x' % (f, b, a)", "'{:>6}{:.3f}'.format(s, f)",
       'users|groupby("g")|map(attribute="grouper")|join', 's|capitalize',
       'words|reverse|join', 'words|sort(reverse=true)|first', 's.split()',
       "t|indent(2, true)", "lst|batch(2)|list|string", 'd.items()|list',
       'url|urlize', 'url|urlize(12, true)', "url|urlize(target='_b')",
       "url|urlize(rel='me x', extra_schemes=['ftp://'])", 'uni|lower',
       'uni.title()', 'uni.swapcase()', 'uni.casefold()', 'uni|capitalize',
       'uni|title', 'uni.capitalize()', 'uni.lower()|length',
       'lipsum(2, false, 3, 4)|wordcount', '[s]|random', "''|random",
       'd.keys()', 'd.values()|list',
       'range(b)|list', "t.partition(',')", 'lst|unique|list',
       "(s, a)", "[s, a, f]", "{'k': s}",
       "'%d|%x|%o' % (2 ** 64 + a, 2 ** 70 - b, 10 ** 20)",
       "'{:,}|{:_x}|{:>25}'.format(10 ** 20 + a, 2 ** 65 + b, -(2 ** 64))",
       '(2 ** 64 * a)|string', '[2 ** 64, -a]|tojson', '(10 ** 20 + a) ~ s',
       "'%05d|%+d' % (2 ** 64, -(2 ** 64) - a)", 'range(2 ** 64, 2 ** 64 + b)',
       "{2 ** 64: a}|dictsort|string", "[2 ** 64, a, 2 ** 64]|unique|list",
       'words[2 ** 64:]|string', 'lst[:2 ** 64]|string', "'x' * (2 ** 64)",
       '((10 ** 310 + a)|float)', '((10 ** 310 + a) / b)']
BOOL = ['flag', 'not flag', '(a > b)', '(a == b)', '(f <= 1.0)',
        "('l' in s)", '(a in lst)', '(s is string)', '(missing is defined)',
        '(a is odd)', '(b is divisibleby 2)', '(lst is sequence)',
        '(flag and a > 1)', '(flag or b < 3)', '(s|length > 3)',
        '(none_v is none)', "(d.k is defined)", '(1 < a < 10)',
        "(t.startswith('a'))", '(words|length == 3)', '(uni is lower)',
        '(2 ** 64 > a)', '(10 ** 20 == 1e20)', '(2 ** 53 + 1 == 2.0 ** 53)',
        '(a < 2 ** 64 < f * 1e30)', '(2 ** 64 + a in [2 ** 64, 2 ** 64 + 1])',
        '((2 ** 64 + a) is odd)', '(-(2 ** 70) < f)', '(2 ** 63 == 2.0 ** 63)',
        '(9007199254740993 > 9007199254740992.0)', '((2 ** 64) is integer)',
        '(lst[2 ** 64] is defined)', '(2 ** 64 in d)']


class Gen:
    """Random template source from a small Jinja grammar."""

    def __init__(self, rng, typed=False):
        self.r = rng
        self.typed = typed  # mostly well-typed expressions
        self.locals = []  # names bound by enclosing for/set/macro

    def typed_expr(self, cond=True):
        k = self.r.randint(0, 9)
        if k <= 3:
            return self.r.choice(STR)
        if k <= 6:
            return self.r.choice(NUM)
        if k == 7 and cond:
            return '%s if %s else %s' % (self.r.choice(STR),
                                         self.r.choice(BOOL),
                                         self.r.choice(NUM))
        if k == 8:
            return '%s %s %s' % (self.r.choice(NUM),
                                 self.r.choice(['+', '-', '*', '//']),
                                 self.r.choice(NUM))
        return self.r.choice(BOOL)

    def choice(self, *opts):
        return self.r.choice(opts)

    def name(self):
        pool = NAMES + self.locals
        return self.r.choice(pool)

    def literal(self):
        k = self.r.randint(0, 11)
        if k == 0:
            return str(self.r.randint(-3, 12))
        if k == 1:
            return self.choice('0.5', '1.0', '2.5e3', '1e-5', '3.14159',
                               '0.1', '10.0', '-0.0')
        if k == 2:
            return repr(self.choice('x', 'ab', 'A b', '', "it's", 'a,b', '<i>&',
                                    '%s!', '{}?', 'x y z', 'é'))
        if k == 3:
            return self.choice('true', 'false', 'none', 'True', 'None')
        if k == 4:
            return '[' + ', '.join(self.expr(2) for _ in range(
                self.r.randint(0, 3))) + ']'
        if k == 5:
            items = ['%s: %s' % (repr(self.choice('k', 'a', 'b', 'z')),
                                 self.expr(2))
                     for _ in range(self.r.randint(0, 3))]
            return '{' + ', '.join(items) + '}'
        if k == 6:
            return '(' + self.expr(2) + ',)'
        if k == 7:
            return '(' + self.expr(2) + ', ' + self.expr(2) + ')'
        if k == 8:
            return '"double"'
        if k == 9:
            return str(self.r.randint(0, 100))
        if k == 10:
            return self.choice('0x1f', '1_000', '9223372036854775808',
                               '0xffff_ffff_ffff_ffff_f', '0b1' + '0' * 64,
                               str(self.r.randint(2 ** 63, 2 ** 90)),
                               '18_446_744_073_709_551_616', '0o' + '7' * 25)
        return "'q\\n\\t'"

    def atom(self, depth):
        k = self.r.randint(0, 9)
        if k <= 3:
            return self.name()
        if k <= 6 or depth <= 0:
            return self.literal()
        if k == 7:
            return '(' + self.expr(depth - 1) + ')'
        if k == 8:
            return 'range(%d)' % self.r.randint(0, 5)
        return self.choice('d.k', 'd.n', 'nested.inner.v', 'nested.list[0]',
                           'users[0].name', 'lst[0]', 'lst[-1]', 'd["k"]',
                           'd.nokey', 'missing.attr', 's[1:3]', 'lst[::2]',
                           'words[1:]', 't.split(",")', 's.upper()',
                           'd.items()', 'd.keys()|list', 's.startswith("h")',
                           'words|length', 'nested["inner"]["v"][1].w',
                           "'-'.join(words)", 's.replace("l", "L")',
                           "'%s=%d' % ('x', b)", "'{}:{}'.format(a, s)",
                           'uni[0]', 'uni|length', 't.title()', 's.strip()',
                           'lst|sum', 'users|map(attribute="uid")|list',
                           'namespace(v=1).v', 'dict(x=a).x', 'lst.count(1)')

    def filt(self):
        return self.choice(
            'upper', 'lower', 'length', 'list', 'string', 'first', 'last',
            'join', "join(', ')", "default('dflt')", "default('z', true)",
            'int', 'float', 'abs', 'round', 'round(1)', "round(1, 'floor')",
            'trim', 'title', 'capitalize', 'reverse', 'sort',
            'sort(reverse=true)', 'unique', 'count', 'e', 'safe', 'tojson',
            "replace('a', 'o')", 'truncate(5)', 'truncate(9, true)',
            'center(9)', 'indent(2)', 'indent(2, true)', 'batch(2)',
            "batch(2, 'x')", 'slice(2)', 'wordcount', 'sum', 'min', 'max',
            "map('upper')", "select('odd')", "reject('none')", 'dictsort',
            "format('x')", 'items', 'striptags', 'urlencode', 'pprint',
            "sort(attribute='uid')", "map(attribute='name')",
            "selectattr('g', 'equalto', 'x')", "groupby('g')",
            'filesizeformat', "xmlattr", "attr('k')", "int(base=16)",
            'wordwrap(5)', 'forceescape', 'urlize', 'urlize(4, true)')

    def test(self):
        return self.choice(
            'defined', 'undefined', 'none', 'number', 'string', 'sequence',
            'mapping', 'iterable', 'odd', 'even', 'divisibleby 3',
            'divisibleby(2)', 'lower', 'upper', 'boolean', 'true', 'false',
            'integer', 'float', 'callable', "in [1, 2, 'a']", 'eq 1',
            'gt 2', 'le 5', 'sameas none', 'escaped', "equalto 'x'")

    def expr(self, depth=3, cond=True):
        if self.typed and self.r.random() < 0.85:
            if not cond:
                return self.r.choice(BOOL)
            return self.typed_expr(cond)
        if depth <= 0:
            return self.atom(0)
        k = self.r.randint(0, 16)
        if not cond and k in (11, 12):
            k = 0
        e = lambda: self.expr(depth - 1, cond)  # noqa: E731
        if k <= 4:
            return self.atom(depth)
        if k == 5:
            op = self.choice('+', '-', '*', '/', '//', '%', '**', '~')
            if op == '**':
                return '%s ** %d' % (self.atom(0), self.choice(
                    0, 1, 2, 3, self.r.randint(60, 70)))
            return '%s %s %s' % (e(), op, e())
        if k == 6:
            return '%s %s %s' % (e(), self.choice(
                '==', '!=', '<', '>', '<=', '>=', 'in', 'not in'), e())
        if k == 7:
            return '%s %s %s' % (e(), self.choice('and', 'or'), e())
        if k == 8:
            return 'not ' + e()
        if k == 9:
            return '%s|%s' % (self.atom(depth - 1), self.filt())
        if k == 10:
            return '%s is %s%s' % (self.atom(depth - 1),
                                   self.choice('', 'not '), self.test())
        if k == 11:
            return '%s if %s else %s' % (e(), e(), e())
        if k == 12:
            return '%s if %s' % (e(), e())
        if k == 13:
            return '-' + self.choice('a', 'b', 'f', 'n', '(a + 1)', '2.5',
                                     'lst|length', 'b ** 2')
        if k == 14:
            return '%s < %s < %s' % (e(), e(), e())
        if k == 15:
            return '%s|%s|%s' % (self.atom(depth - 1), self.filt(),
                                 self.filt())
        return '(%s)' % e()

    def ws(self):
        return self.choice('', '', '', '-', '+')

    def text(self):
        return self.choice('x', ' ', '\n', '  \n', 'ab', '\n  ', '\t', ' | ',
                           '{ ', '}', '#', '%', '\\', 'é', ' \n\n ')

    def stmt(self, depth):
        k = self.r.randint(0, 19 if depth > 0 else 6)
        w1, w2 = self.ws(), self.ws()
        if k <= 2:
            return self.text()
        if k <= 5:
            return '{{%s %s %s}}' % (self.choice('', '', '-'), self.expr(),
                                     self.choice('', '', '-'))
        if k == 6:
            v = self.choice('v', 'w', 'a', 's')
            out = '{%%%s set %s = %s %s%%}' % (w1, v, self.expr(), w2)
            self.locals.append(v)
            return out
        if k == 7:
            return '{%%%s if %s %s%%}%s{%% else %%}%s{%% endif %%}' % (
                w1, self.expr(cond=False), w2, self.body(depth - 1),
                self.body(depth - 1))
        if k == 8:
            return '{%% if %s %%}%s{%% elif %s %%}%s{%% endif %%}' % (
                self.expr(cond=False), self.body(depth - 1),
                self.expr(cond=False),
                self.body(depth - 1))
        if k == 9:
            var = self.choice('i', 'x', 'item')
            self.locals.append(var)
            cond = (' if ' + self.expr(1, False)) if self.r.random() < 0.2 \
                else ''
            body = self.body(depth - 1) + self.choice(
                '{{ loop.index }}', '{{ loop.first }}', '{{ loop.last }}',
                '{{ loop.revindex0 }}', '{{ loop.length }}',
                "{{ loop.cycle('o', 'e') }}", '{{ loop.previtem }}',
                '{{ loop.nextitem }}', '{{ loop.changed(%s) }}' % var,
                '{{ loop.depth }}', '')
            els = ('{% else %}' + self.body(depth - 1)
                   if self.r.random() < 0.3 else '')
            self.locals.pop()
            return '{%%%s for %s in %s%s %s%%}%s%s{%%%s endfor %s%%}' % (
                w1, var, self.choice(self.expr(1, False), 'lst', 'words', 'd',
                                     'range(3)', 's', 'users', 'missing',
                                     'd.items()'), cond, w2, body, els,
                self.ws(), self.ws())
        if k == 10:
            return '{%% for k, v in %s %%}{{ k }}={{ v }};{%% endfor %%}' % (
                self.choice('d.items()', 'd|dictsort', 'users|groupby("g")',
                            '[(1, 2), (3, 4)]', 'lst', 'd'))
        if k == 11:
            name = self.choice('m', 'mac')
            params = self.choice('', 'p', 'p, q=2', 'p=none', 'p, q=p ~ "!"')
            body = self.choice('[{{ p }}]', '{{ p }}-{{ q }}', '{{ varargs }}',
                               '{{ kwargs }}', '{{ caller() }}', 'M',
                               '{% if caller %}C{% endif %}{{ a }}')
            call = self.choice('%s()', '%s(1)', '%s(1, 2)', "%s(p='k')",
                               '%s(q=3)', '%s(1, 2, 3)', '%s(z=1)')
            call = call % name
            if self.r.random() < 0.3:
                use = '{%% call %s %%}inner{{ a }}{%% endcall %%}' % call
            else:
                use = '{{ %s }}' % call
            return '{%% macro %s(%s) %%}%s{%% endmacro %%}%s' % (
                name, params, body, use)
        if k == 12:
            return '{%% with %s = %s %%}%s{%% endwith %%}' % (
                self.choice('a', 'w'), self.expr(), self.body(depth - 1))
        if k == 13:
            return '{%% raw %%}{{ %s }}{%% endraw %%}' % self.choice(
                'x', 'y|z', '{% if %}')
        if k == 14:
            return '{#%s comment %s#}' % (w1, w2)
        if k == 15:
            return ('{% set ns = namespace(c=0) %}{% for i in lst %}'
                    '{% set ns.c = ns.c + 1 %}{% endfor %}{{ ns.c }}')
        if k == 16:
            return '{%% filter %s %%}%s{%% endfilter %%}' % (
                self.choice('upper', 'lower', 'trim', 'title', 'e',
                            "replace('x', 'y')"), self.body(depth - 1))
        if k == 17:
            return '{%% set blk %%}%s{%% endset %%}[{{ blk }}]' % (
                self.body(depth - 1))
        if k == 18:
            # A dict view taken before the dict changes shows the change.
            # The context's `d` only grows (a loop over it that sees it
            # grow fails as in Python); removals go to a fresh dict, as
            # Python's iteration over a dict whose keys were swapped at
            # the same size is not reproduced.
            view = self.choice('keys', 'values', 'items')
            if self.r.random() < 0.6:
                name, setup = 'd', ''
                change = self.choice("d.update({'z': a})",
                                     "d.setdefault('n', [])",
                                     "d.update(k=s)")
            else:
                name = 'dd'
                setup = "{% set dd = {'k': 1, 'n': a} %}"
                change = self.choice("dd.pop('k', none)", 'dd.clear()',
                                     "dd.update({'z': a})",
                                     "dd.popitem()")
            return ('%s{%% set dv = %s.%s() %%}{%% set _ = %s %%}{{ dv }}|'
                    '{{ dv|length }}|{{ %s in dv }}|{{ dv|list|length }}' % (
                        setup, name, view, change,
                        self.choice("'z'", "'k'", "('z', a)", 'a')))
        if self.typed:
            return self.text()
        return self.choice('{% if %}', '{{ }}', '{% for %}', '{{ 1 +}}',
                           '{% endif %}', '{{ a | nosuch }}', '{% break %}',
                           '{{ (1, }}', "{{ 'unterminated }}", '{% set %}',
                           '{{ a.__class__ }}', '{{ s._x }}', '{{ 1 is nosuchtest }}',
                           '{% macro %}', '{% block %}', '}}', '{{ a b }}')

    def body(self, depth):
        return ''.join(self.stmt(depth) for _ in range(self.r.randint(0, 3)))

    def template(self):
        self.locals = []
        return ''.join(self.stmt(2) for _ in range(self.r.randint(1, 5)))


OPTION_FLAGS = [('trim_blocks', '--trim-blocks'),
                ('lstrip_blocks', '--lstrip-blocks'),
                ('keep_trailing_newline', '--keep-trailing-newline')]


def make_case(rng):
    g = Gen(rng, typed=rng.random() < 0.5)
    opts = {}
    if rng.random() < 0.25:
        for key, _ in OPTION_FLAGS:
            opts[key] = rng.random() < 0.5
    if rng.random() < 0.08:
        opts['autoescape'] = True
    if rng.random() < 0.05:
        opts['strict'] = True
    src = g.template()
    if rng.random() < 0.2:
        src += rng.choice(['\n', '\r\n', '\n\n', ' \n'])
    return {'template': src, 'context': make_context(rng), 'options': opts}


def python_render(case):
    o = case['options']
    env = jinja2.sandbox.SandboxedEnvironment(
        trim_blocks=o.get('trim_blocks', False),
        lstrip_blocks=o.get('lstrip_blocks', False),
        keep_trailing_newline=o.get('keep_trailing_newline', False),
        autoescape=o.get('autoescape', False),
        undefined=jinja2.StrictUndefined if o.get('strict') else
        jinja2.Undefined)
    try:
        # A copy: templates may change the context's dicts (d.update),
        # and kolla-render gets the context afterwards.
        return {'ok': True,
                'out': env.from_string(case['template']).render(
                    copy.deepcopy(case['context']))}
    except RecursionError:
        return {'ok': False, 'class': 'RecursionError'}
    except Exception as e:  # noqa: BLE001 - the class is compared
        return {'ok': False, 'class': type(e).__name__, 'message': str(e)}


ERROR_RE = re.compile(r'^(?:.*?:\d+(?::\d+)?: )?([A-Za-z_][A-Za-z0-9_]*): ',
                      re.M)


def cpp_render(binary, workdir, index, case):
    path = os.path.join(workdir, 'ctx%d.json' % index)
    with open(path, 'w') as f:
        json.dump(case['context'], f)
    cmd = [binary, '--context', path]
    o = case['options']
    for key, flag in OPTION_FLAGS:
        if o.get(key):
            cmd.append(flag)
    if o.get('autoescape'):
        cmd.append('--autoescape')
    if o.get('strict'):
        cmd.append('--strict-undefined')
    cmd.append('-')
    proc = subprocess.run(cmd, input=case['template'].encode(),
                          capture_output=True, check=False, timeout=60)
    os.unlink(path)
    if proc.returncode == 0:
        return {'ok': True, 'out': proc.stdout.decode('utf-8', 'replace')}
    err = proc.stderr.decode('utf-8', 'replace')
    m = ERROR_RE.search(err)
    return {'ok': False, 'class': m.group(1) if m else 'rc=%d' %
            proc.returncode, 'message': err.strip()[:300]}


# Also after filters changed the text around them ('a' -> 'o', upper).
ADDRESS_RE = re.compile(r'0x[0-9a-z]{6,}', re.I)


def same(exp, got):
    if exp['ok'] != got['ok']:
        return False
    if exp['ok']:
        # Object addresses (<generator object f at 0x...>) differ by run.
        return (ADDRESS_RE.sub('0x', exp['out']) ==
                ADDRESS_RE.sub('0x', got['out']))
    return exp['class'] == got['class']


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('binary')
    ap.add_argument('--cases', type=int, default=2000)
    ap.add_argument('--seed', type=int, default=20261203)
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--show', type=int, default=8)
    ap.add_argument('--dump', help='write mismatching cases as JSON here')
    args = ap.parse_args()

    rng = random.Random(args.seed)
    cases = [make_case(rng) for _ in range(args.cases)]
    expected = [python_render(c) for c in cases]
    workdir = tempfile.mkdtemp(prefix='tmpl-fuzz-')
    try:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            got = list(pool.map(
                lambda ic: cpp_render(args.binary, workdir, ic[0], ic[1]),
                enumerate(cases)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    bad = [i for i in range(len(cases)) if not same(expected[i], got[i])]
    errors = sum(1 for e in expected if not e['ok'])
    for i in bad[:args.show]:
        print('--- case %d options=%s' % (i, cases[i]['options']))
        print('template:', repr(cases[i]['template']))
        print('context: ', json.dumps(cases[i]['context'], ensure_ascii=False))
        print('jinja2:  ', expected[i])
        print('tmpl:    ', got[i])
    if args.dump and bad:
        os.makedirs(args.dump, exist_ok=True)
        with open(os.path.join(args.dump, 'mismatches.json'), 'w') as f:
            json.dump([{'case': cases[i], 'expected': expected[i]}
                       for i in bad], f, indent=1, ensure_ascii=False)
    print('%d cases (seed %d), %d of them errors in Jinja2, %d disagree' %
          (len(cases), args.seed, errors, len(bad)))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
