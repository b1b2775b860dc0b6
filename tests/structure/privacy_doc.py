"""docs/privacy.md, the record of processing, is true to the example
configuration: every setting of its `retention` section, and the drafts'
`intake.draft_hours`, appears in the page with the same value
(`closed_months = 36`), and the page names no retention setting the
example does not have; the page names the privacy commands the program
has.

    privacy_doc.py SOURCE_ROOT"""

import os
import re
import sys


def main():
    root = sys.argv[1]
    with open(os.path.join(root, 'config', 'totemdesk.conf'),
              encoding='utf-8') as fh:
        conf = fh.read()
    with open(os.path.join(root, 'docs', 'privacy.md'),
              encoding='utf-8') as fh:
        doc = fh.read()
    m = re.search(r'^retention\s*=\s*\{(.*?)\};', conf, re.S | re.M)
    problems = []
    if not m:
        problems.append('config/totemdesk.conf has no retention section')
        settings = {}
    else:
        body = re.sub(r'#[^\n]*', '', m.group(1))
        settings = dict(re.findall(r'(\w+)\s*=\s*(\d+)\s*;', body))
    if not settings:
        problems.append('the retention section sets nothing')
    for key, value in settings.items():
        if '`%s = %s`' % (key, value) not in doc:
            problems.append('docs/privacy.md does not say `%s = %s`'
                            % (key, value))
    d = re.search(r'^\s*draft_hours\s*=\s*(\d+)\s*;', conf, re.M)
    if d:
        settings['draft_hours'] = d.group(1)
    for key, value in re.findall(r'`(\w+_(?:months|hours|years)) = (\d+)`',
                                 doc):
        if settings.get(key) != value:
            problems.append('docs/privacy.md says `%s = %s`, the example '
                            'configuration %s' % (key, value,
                                                  settings.get(key)))
    for cmd in ('privacy export', 'privacy erase', 'privacy withdraw',
                'privacy purge', 'privacy report'):
        if 'totemdesk ' + cmd not in doc:
            problems.append('docs/privacy.md does not name totemdesk ' + cmd)
    for p in problems:
        print('privacy_doc: ' + p)
    if not problems:
        print('privacy_doc: docs/privacy.md matches the example '
              'configuration (%d retention settings)' % len(settings))
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
