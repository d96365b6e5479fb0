#!/usr/bin/python3
"""Golden maker for src/config: upstream semantics from real oslo.config.

Registers kolla-build's option set (kolla/common/config.py of 2026.1 with the
kolla corpus's tables, plus this project's extra options) on oslo.config,
runs every case in cases.txt and writes the resolved options, or the error,
to <case>.expected.json. Run it by hand after changing cases.txt:

    apt-get install python3-oslo.config   # Debian 12: oslo.config 9.0.0
    /usr/bin/python3 src/config/testdata/oslo/make_goldens.py

This is a test oracle only; nothing in the product runs Python.
"""
import contextlib
import io
import json
import os
import sys
import tempfile

from oslo_config import version as oslo_version
from oslo_config import cfg, types

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, '..', '..', '..', '..', '..', 'shared',
                      'kolla-corpus', 'kolla-defaults.json')
D = json.load(open(CORPUS))
hostarch = 'x86_64'  # the C++ test pins the host architecture too
BASE_OS_DISTRO = ['centos', 'debian', 'rocky', 'ubuntu']
BASE_ARCH = ['x86_64', 'aarch64']
DEBIAN_ARCH = ['amd64', 'arm64']
debianarch = 'arm64' if hostarch == 'aarch64' else 'amd64'
_PROFILE_OPTS = [cfg.ListOpt(k, default=v, help=h) for k, v, h in [
    ('infra', D['profiles']['infra'], 'Infra images'),
    ('main', D['profiles']['main'], 'Main images'),
    ('aux', D['profiles']['aux'], 'Aux Images'),
    ('default', D['profiles']['default'], 'Default images')]]
_CLI_OPTS = [
    cfg.StrOpt('base', short='b', default='rocky', choices=BASE_OS_DISTRO, help='The distro type of the base image.'),
    cfg.StrOpt('base-tag', default='latest', help='The base distro image tag'),
    cfg.StrOpt('base-image', help='The base image name. Default is the same with base.'),
    cfg.StrOpt('base-arch', default=hostarch, choices=BASE_ARCH, help='The base architecture. Default is same as host.'),
    cfg.StrOpt('debian-arch', default=debianarch, choices=DEBIAN_ARCH, help='The base architecture used for downloading external packages. Default is derived from base-arch.'),
    cfg.BoolOpt('use-dumb-init', default=True, help='Use dumb-init as init system in containers'),
    cfg.BoolOpt('debug', short='d', default=False, help='Turn on debugging log level'),
    cfg.BoolOpt('skip-parents', default=False, help='Do not rebuild parents of matched images'),
    cfg.BoolOpt('skip-existing', default=False, help='Do not rebuild images present in the container engine cache'),
    cfg.DictOpt('build-args', help='Set docker build time variables'),
    cfg.BoolOpt('keep', default=False, help='Keep failed intermediate containers'),
    cfg.BoolOpt('list-dependencies', short='l', help='Show image dependencies (filtering supported)'),
    cfg.BoolOpt('list-images', help='Show all available images (filtering supported)'),
    cfg.StrOpt('locals-base', default='./', help='Base directory for local source resolution'),
    cfg.StrOpt('namespace', short='n', default='kolla', help='The Docker namespace name'),
    cfg.StrOpt('network_mode', default='host', help='The network mode for Docker build. Example: host'),
    cfg.BoolOpt('buildkit', default=True, help='Use Docker BuildKit (docker buildx build) when building images. Requires the docker-buildx-plugin to be installed. Only valid with --engine docker.'),
    cfg.StrOpt('buildkit-builder', default=None, help='Name of the docker buildx builder instance to use. If unset the currently active builder is used. Only valid with --buildkit.'),
    cfg.BoolOpt('cache', default=True, help='Use the container engine cache when building'),
    cfg.StrOpt('patches-path', default=None, help='The path where patch files to be applied are located'),
    cfg.StrOpt('platform', default=None, help='The platform to use for a cross-compile build. Should be set in conjunction with "--base-arch" argument. Example: "--platform linux/arm64 --base-arch aarch64"'),
    cfg.MultiOpt('profile', types.String(), short='p', help='Build a pre-defined set of images, see [profiles] section in config. The default profiles are: {}'.format(', '.join([o.name for o in _PROFILE_OPTS]))),
    cfg.BoolOpt('push', default=False, help='Push images after building'),
    cfg.IntOpt('push-threads', default=1, min=1, help='The number of threads to use while pushing images. Note: Docker cannot handle threaded pushing properly'),
    cfg.IntOpt('retries', short='r', default=3, min=0, help='The number of times to retry while building'),
    cfg.MultiOpt('regex', types.String(), positional=True, required=False, help='Build only images matching regex and its dependencies'),
    cfg.StrOpt('registry', help='The container image registry host'),
    cfg.StrOpt('save-dependency', help='Path to the file to store the docker image dependency in Graphviz dot format'),
    cfg.StrOpt('format', short='f', default='json', choices=['json', 'none'], help='Format to write the final results in.'),
    cfg.StrOpt('summary-json-file', help='Name of a file to write the build summary to when format is json. If unset, the summary will be written to standard output'),
    cfg.StrOpt('tarballs-base', default=D['tarballs_base'], help='Base url to OpenStack tarballs'),
    cfg.IntOpt('threads', short='T', default=8, min=1, help='The number of threads to use while building. (Note: setting to one will allow real time logging)'),
    cfg.StrOpt('tag', help='The container image tag'),
    cfg.BoolOpt('template-only', default=False, help="Don't build images. Generate Dockerfile only"),
    cfg.IntOpt('timeout', default=120, help='Time in seconds after which any operation times out'),
    cfg.MultiOpt('template-override', types.String(), help='Path to template override file'),
    cfg.MultiOpt('docker-dir', types.String(), help='Path to additional docker file template directory, can be specified multiple times', short='D'),
    cfg.StrOpt('logs-dir', help='Path to logs directory'),
    cfg.BoolOpt('pull', default=True, help='Attempt to pull a newer version of the base image'),
    cfg.StrOpt('work-dir', help='Path to be used as working directory. By default, a temporary dir is created'),
    cfg.BoolOpt('squash', default=False, help='Squash the image layers. WARNING: it will consume lots of disk IO. "docker-squash" tool is required, install it by "pip install docker-squash"'),
    cfg.StrOpt('openstack-release', default=D['openstack_release'], help='OpenStack release for building kolla source images and kolla-toolbox image'),
    cfg.StrOpt('openstack-release-codename', default=D['openstack_release_codename'], help='OpenStack release codename for Debian OpenStack extrepo and Ubuntu Cloud Archive'),
    cfg.StrOpt('openstack-branch', help='Branch for source images (internal; with a dash; please set openstack-release instead)'),
    cfg.StrOpt('openstack-branch-slashed', help='Branch for source images (internal; with a slash; please set openstack-release instead)'),
    cfg.BoolOpt('docker-healthchecks', default=True, help='Add Kolla docker healthcheck scripts in the image'),
    cfg.BoolOpt('quiet', short='q', default=False, help='Do not print image logs'),
    cfg.BoolOpt('enable-unbuildable', default=False, help='Enable images marked as unbuildable'),
    cfg.BoolOpt('summary', default=True, help='Show summary at the end of build'),
    cfg.StrOpt('image-name-prefix', default='', help='Prefix prepended to image names'),
    cfg.StrOpt('repos-yaml', default='', help='Path to repos.yaml override file'),
    cfg.StrOpt('engine', default='docker', choices=['docker', 'podman'], help='Container engine to build images on.'),
    cfg.BoolOpt('reuse-unchanged', default=True, help="Do not rebuild an image whose content digest (Dockerfile, build context, build args, labels and parent) matches the image already in the container engine"),
    cfg.StrOpt('images-dir', help="Path to the folder of image templates (upstream's 'docker' folder). Default is the first existing of /usr/share/kolla/docker, /usr/local/share/kolla/docker, $VIRTUAL_ENV/share/kolla/docker and ../share/kolla/docker next to the executable"),
    cfg.StrOpt('podman_base_url', default='unix:///run/podman/podman.sock', help='Path to podman socket.'),
]
_BASE_OPTS = [
    cfg.StrOpt('maintainer', default='Kolla Project (https://launchpad.net/kolla)', help='Content of the maintainer label'),
    cfg.StrOpt('distro_package_manager', default=None, help='x'),
    cfg.StrOpt('base_package_type', default=None, help='x'),
    cfg.ListOpt('rpm_setup_config', default=[], help='x'),
    cfg.StrOpt('apt_sources_list', help='x'),
    cfg.StrOpt('apt_preferences', help='x'),
    cfg.BoolOpt('squash-cleanup', default=True, help='x'),
    cfg.StrOpt('squash-tmp-dir', help='x'),
    cfg.BoolOpt('clean_package_cache', default=True, help='x'),
    cfg.ListOpt('allowed-to-fail', default=[], help='x'),
    cfg.StrOpt('pip_index_url', help='x'),
    cfg.StrOpt('pip_trusted_host', help='x'),
    cfg.StrOpt('pip_extra_index_url', help='x'),
]
def source_opts(type_=None, location=None, reference=None, enabled=True, version=None, sha256=None):
    return [cfg.StrOpt('type', choices=['local', 'git', 'url'], default=type_),
            cfg.StrOpt('location', default=location),
            cfg.StrOpt('reference', default=reference),
            cfg.BoolOpt('enabled', default=enabled),
            cfg.StrOpt('version', default=version),
            cfg.DictOpt('sha256', default=sha256)]
def user_opts(uid, gid, group):
    return [cfg.IntOpt('uid', default=uid), cfg.IntOpt('gid', default=gid), cfg.StrOpt('group', default=group)]



def make_conf():
    conf = cfg.ConfigOpts()
    conf.register_cli_opts(_CLI_OPTS)
    conf.register_opts(_BASE_OPTS)
    conf.register_opts(_PROFILE_OPTS, group='profiles')
    for n, p in D['sources'].items():
        conf.register_opts(source_opts(p['type'], p['location'],
                                       p.get('reference'),
                                       p.get('enabled', True),
                                       p.get('version'), p.get('sha256')), n)
    for n, p in D['users'].items():
        conf.register_opts(user_opts(p['uid'], p['gid'],
                                     p.get('group', n[:-5])), n)
    return conf


def derive(conf):
    # kolla's parse(): defaults that depend on other options.
    conf.set_default('base_tag', D['base_tags'][conf.base]['tag'])
    prefix = '' if conf.openstack_release == 'master' else 'stable-'
    branch = prefix + conf.openstack_release
    conf.set_default('openstack_branch', branch)
    conf.set_default('openstack_branch_slashed', branch.replace('-', '/'))
    conf.set_default('debian_arch',
                     'arm64' if conf.base_arch == 'aarch64' else 'amd64')
    conf.set_default('tag', '%s-%s-%s' % (conf.openstack_release, conf.base,
                                          conf.base_tag))
    if not conf.base_image:
        conf.base_image = D['base_tags'][conf.base]['name']


def run(args, groups, home):
    conf = make_conf()
    err = io.StringIO()
    out = io.StringIO()
    result = {'args': args}
    os.environ['HOME'] = home
    os.environ['COLUMNS'] = '80'
    real = [a.replace('@DIR@', HERE) for a in args]
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            conf(args=real, project='kolla', prog='kolla-build',
                 version='21.0.0')
            derive(conf)
            values = {}
            for o in _CLI_OPTS + _BASE_OPTS:
                values[o.dest] = getattr(conf, o.dest)
            for g in groups:
                grp, _, opt = g.partition('.')
                if grp == 'profiles' and opt not in conf.profiles:
                    conf.register_opt(cfg.ListOpt(opt, default=[]),
                                      'profiles')
                if grp not in conf:
                    # What kolla's worker registers for sections only a
                    # file names.
                    if grp.endswith('-user'):
                        conf.register_opts(user_opts(None, None, None), grp)
                    else:
                        conf.register_opts(source_opts(), grp)
                values[g] = conf[grp][opt]
        result['exit'] = 0
        result['values'] = values
    except SystemExit as e:
        result['exit'] = e.code if isinstance(e.code, int) else 0
        lines = err.getvalue().strip().splitlines()
        result['error'] = lines[-1].replace(HERE, '@DIR@') if lines else ''
        if out.getvalue():
            result['stdout'] = out.getvalue()
    except Exception as e:  # upstream shows a traceback: exit status 1
        result['exit'] = 1
        result['traceback'] = type(e).__name__
    return result


def main():
    with open(os.path.join(HERE, 'cases.txt')) as f:
        lines = [l.rstrip('\n') for l in f if l.strip() and l[0] != '#']
    with tempfile.TemporaryDirectory() as home:
        for line in lines:
            name, _, rest = line.partition(':')
            fields = json.loads(rest)
            res = run(fields['args'], fields.get('groups', []), home)
            res['oslo.config'] = oslo_version.version_info.version_string()
            res['python'] = sys.version.split()[0]
            with open(os.path.join(HERE, name.strip() + '.expected.json'),
                      'w') as out:
                json.dump(res, out, indent=1, sort_keys=True)
                out.write('\n')


if __name__ == '__main__':
    main()
