#!/usr/bin/env python3
"""Test oracle for kb_kolla: renders the shared kolla corpus with Jinja2.

Not part of the product. It holds a Python prototype of kolla's template
helpers (customizable, debian_package_install, handle_repos, raise_error),
written from the behaviour of upstream's expected Dockerfiles, and renders
every image template of the plain distro cases the way kolla-build does
(kolla/image/kolla_worker.py create_dockerfiles), then compares the result
with the expected Dockerfiles. The C++ port in template_helpers.cc follows
the same rules.

usage: oracle_render.py [CORPUS_DIR] [CASE...]
"""

import difflib
import json
import os
import re
import sys

import jinja2
import jinja2.sandbox
import yaml

URL_KEYS = ('baseurl', 'metalink', 'mirrorlist', 'url')


def customizable(context, val_list, call_type):
    if isinstance(val_list, jinja2.Undefined):
        return val_list
    name = context['image_name'].replace('-', '_') + '_' + call_type + '_'
    if name + 'override' in context:
        return context[name + 'override']
    if name + 'append' in context:
        val_list.extend(context[name + 'append'])
    if name + 'remove' in context:
        for item in context[name + 'remove']:
            if item in val_list:
                val_list.remove(item)
    return val_list


def debian_package_install(packages, clean_package_cache=True):
    regular = [p for p in packages if not p.startswith('http')]
    urls = [p for p in packages if p.startswith('http')]
    cmds = []
    if regular:
        cmds += ['apt-get --error-on=any update',
                 'apt-get -y install --no-install-recommends '
                 + ' '.join(regular)]
        if clean_package_cache:
            cmds += ['apt-get clean', 'rm -rf /var/lib/apt/lists/*']
    for url in urls:
        name = url[url.rfind('/') + 1:]
        cmds += ['curl --location %s -o %s' % (url, name),
                 'dpkg -i %s' % name, 'rm -rf %s' % name]
    return ' && '.join(cmds)


def raise_error(msg):
    raise Exception(msg)


def load_repo_data(default_path, override_path):
    with open(default_path) as f:
        data = yaml.safe_load(f)
    if override_path:
        with open(override_path) as f:
            for section, repos in yaml.safe_load(f).items():
                data.setdefault(section, {})
                data[section] = {**data[section], **repos}
    return data


def repo_table(data, package_type, distro, arch):
    """Generic section, then distro, then distro-arch; per-key merge."""
    table = {}
    for section in (package_type, distro, '%s-%s' % (distro, arch)):
        for name, info in (data.get(section) or {}).items():
            if name in table:
                merged = {**table[name], **info}
                if any(k in merged for k in URL_KEYS):
                    merged.pop('distro', None)
                table[name] = merged
            else:
                table[name] = info
    return table


def rpm_repo_file(repo, info):
    path = '/etc/yum.repos.d/%s.repo' % repo
    name = info['name']
    out = ["grep -rlF '[%s]' /etc/yum.repos.d/ 2>/dev/null | xargs -r rm -f"
           % name,
           "echo '[%s]' >%s" % (name, path),
           "echo 'name=%s' >>%s" % (name, path),
           "echo 'enabled=1' >>%s" % path]
    for key in ('gpgcheck', 'repo_gpgcheck'):
        if info.get(key):
            out.append("echo '%s=%s' >>%s" % (key, info[key], path))
    for i, key in enumerate(info['gpgkey'].splitlines()):
        prefix = 'gpgkey=' if i == 0 else '       '
        out.append("echo '%s%s' >>%s" % (prefix, key, path))
    if 'baseurl' in info:
        for url in info['baseurl'].splitlines():
            out.append("echo 'baseurl=%s' >>%s" % (url, path))
    elif 'metalink' in info:
        out.append("echo 'metalink=%s' >>%s" % (info['metalink'], path))
    elif 'mirrorlist' in info:
        out.append("echo 'mirrorlist=%s' >>%s" % (info['mirrorlist'], path))
    return ' && '.join(out)


def deb_sources_file(repo, info, codename):
    path = '/etc/apt/sources.list.d/%s.sources' % repo
    key = info['gpg_key']
    signed_by = key if key.startswith('/') else '/etc/kolla/apt-keys/' + key
    suite = info['suite'].replace('{openstack_release_codename}',
                                  codename.lower())
    out = ["echo 'Uris: %s' >%s" % (info['url'], path),
           "echo 'Components: %s' >>%s" % (info['component'], path),
           "echo 'Types: deb' >>%s" % path,
           "echo 'Suites: %s' >>%s" % (suite, path),
           "echo 'Signed-By: %s' >>%s" % (signed_by, path)]
    if info.get('trusted'):
        out.append("echo 'Trusted: yes' >>%s" % path)
    if 'arch' in info:
        out.append("echo 'Architectures: %s' >>%s" % (info['arch'], path))
    return ' && '.join(out)


def make_handle_repos(default_path):
    def handle_repos(context, reponames, mode):
        if not isinstance(reponames, list):
            raise TypeError('First argument should be a list of repositories')
        data = load_repo_data(default_path, context.get('repos_yaml'))
        ptype = context.get('base_package_type')
        table = repo_table(data, ptype, context.get('base_distro'),
                           context.get('base_arch'))
        cmd = ''
        last = len(reponames) - 1
        for i, repo in enumerate(reponames):
            info = table[repo]  # KeyError: unknown repo fails the render
            if ptype == 'rpm' and mode == 'enable':
                if info.get('distro'):
                    cmd += 'dnf config-manager --enable %s || true' % (
                        info['name'])
                else:
                    cmd += rpm_repo_file(repo, info)
                if i != last:
                    cmd += ' && '
            elif ptype == 'rpm' and mode == 'disable' and info.get('distro'):
                # Upstream adds no separator between disables.
                cmd += 'dnf config-manager --disable %s || true' % (
                    info['name'])
            elif ptype == 'deb' and mode == 'enable' and not info.get(
                    'distro'):
                cmd += deb_sources_file(
                    repo, info, context.get('openstack_release_codename'))
                if i != last:
                    cmd += ' && '
        return 'RUN ' + cmd if cmd else ''
    return handle_repos


def case_values(defaults, base, image_name):
    tags = defaults['base_tags'][base]
    rpm = base in ('centos', 'rocky')
    users = {k[:-5]: {'uid': v['uid'], 'gid': v['gid'],
                      'group': v.get('group', k[:-5])}
             for k, v in defaults['users'].items()}
    return {
        'base_distro': base, 'base_image': tags['name'],
        'base_distro_tag': tags['tag'], 'base_arch': 'x86_64',
        'repos_yaml': None, 'use_dumb_init': True,
        'base_package_type': 'rpm' if rpm else 'deb',
        'debian_arch': 'amd64', 'docker_healthchecks': True,
        'supported_distro_name': defaults['distro_pretty_name'][base],
        'image_prefix': '', 'namespace': 'kolla',
        'openstack_release': defaults['openstack_release'],
        'openstack_release_codename': defaults['openstack_release_codename'],
        'openstack_branch': 'master', 'openstack_branch_slashed': 'master',
        'tag': 'master-%s-%s' % (base, tags['tag']),
        'maintainer': 'Kolla Project (https://launchpad.net/kolla)',
        'kolla_version': '21.0.0', 'image_name': image_name, 'users': users,
        'distro_package_manager': 'dnf' if rpm else 'apt', 'rpm_setup': [],
        'clean_package_cache': True, 'patches_path': None,
    }


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), '../../../../shared/kolla-corpus')
    cases = sys.argv[2:] or ['centos', 'debian', 'rocky', 'ubuntu',
                             'debian-override']
    docker = os.path.join(corpus, 'kolla/docker')
    repos = os.path.join(corpus, 'kolla/template/repos.yaml')
    with open(os.path.join(corpus, 'kolla-defaults.json')) as f:
        defaults = json.load(f)
    handle_repos = jinja2.pass_context(make_handle_repos(repos))

    def make_env(loader):
        env = jinja2.sandbox.SandboxedEnvironment(loader=loader)
        env.filters['customizable'] = jinja2.pass_context(customizable)
        env.globals.update(debian_package_install=debian_package_install,
                           handle_repos=handle_repos, raise_error=raise_error)
        return env

    env = make_env(jinja2.FileSystemLoader(docker))
    bad = total = 0
    for case in cases:
        base, override = case, None
        if case == 'debian-override':
            base = 'debian'
            with open(os.path.join(corpus, 'cases/override-debian.j2')) as f:
                override = make_env(jinja2.DictLoader(
                    {'override.j2': f.read()})).get_template('override.j2')
        expected_root = os.path.join(corpus, 'expected', case)
        for root, _, files in os.walk(expected_root):
            if 'Dockerfile' not in files:
                continue
            rel = os.path.relpath(root, expected_root)
            with open(os.path.join(root, 'Dockerfile')) as f:
                want = f.read()
            values = case_values(defaults, base, os.path.basename(rel))
            template = env.get_template(rel + '/Dockerfile.j2')
            if override:
                values['parent_template'] = template
                template = override
            got = template.render(
                values, env={'PATH': '/usr/bin', 'HOME': '/root'})
            total += 1
            if got != want:
                bad += 1
                print('--- %s/%s' % (case, rel))
                sys.stdout.writelines(list(difflib.unified_diff(
                    want.splitlines(True), got.splitlines(True)))[:40])
    print('%d of %d Dockerfiles differ' % (bad, total))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
