"""Python Jinja2 oracle for the differential tests.

Registers the same kolla stand-ins as kolla_standins.cc on a
SandboxedEnvironment, so renders can be compared byte for byte. Run with
Debian's python3 (python3-jinja2 3.1.x).
"""

import jinja2
import jinja2.sandbox


def customizable(context, val_list, call_type):
    # Same logic as kolla's kolla/template/filters.py.
    if isinstance(val_list, jinja2.Undefined):
        return val_list
    name = context['image_name'].replace("-", "_") + "_" + call_type + "_"
    if name + "override" in context:
        return context[name + "override"]
    if name + "append" in context:
        val_list.extend(context[name + "append"])
    if name + "remove" in context:
        for removal in context[name + "remove"]:
            if removal in val_list:
                val_list.remove(removal)
    return val_list


def debian_package_install(packages, clean_package_cache=True):
    s = 'apt-get install ' + ' '.join(packages)
    if clean_package_cache:
        s += ' && apt-get clean'
    return s


def handle_repos(context, reponames, mode):
    return 'REPOS %s %s %s' % (mode, context.get('base_distro'),
                               ','.join(reponames))


def raise_error(msg):
    raise jinja2.exceptions.TemplateRuntimeError(msg)


def register_standins(env):
    env.filters['customizable'] = jinja2.pass_context(customizable)
    env.globals['debian_package_install'] = debian_package_install
    env.globals['handle_repos'] = jinja2.pass_context(handle_repos)
    env.globals['raise_error'] = raise_error


def kolla_env(loader):
    env = jinja2.sandbox.SandboxedEnvironment(loader=loader)
    register_standins(env)
    return env
