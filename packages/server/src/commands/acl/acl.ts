/**
 * ACL <subcommand>: users, permissions and the ACL LOG (Redis 7.0's aclCommand; the model is in
 * acl/). The subcommands live in acl-users.ts (SETUSER DELUSER GETUSER LIST USERS), acl-info.ts
 * (CAT LOG WHOAMI GENPASS DRYRUN) and acl-file-commands.ts (LOAD SAVE).
 */
import { helpCommand } from '../server/help.js';
import { type Command, defineContainer } from '../types.js';
import { load, save } from './acl-file-commands.js';
import { cat, dryrun, genpass, log, whoami } from './acl-info.js';
import { deluser, getuser, list, setuser, users } from './acl-users.js';

/** Redis 7.0.15's ACL HELP lines, in its order. */
const HELP_LINES: readonly string[] = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

/** ACL HELP (since 6.0.0, where the shared HELP says 5.0.0). */
const HELP: Command = helpCommand('ACL', HELP_LINES);

export const aclCommand: Command = defineContainer(
  {
    name: 'acl',
    flags: [],
    aclCategories: ['@slow'],
    doc: {
      summary: 'A container for Access List Control commands ',
      since: '6.0.0',
      group: 'server',
      complexity: 'Depends on subcommand.',
    },
  },
  [
    cat,
    deluser,
    dryrun,
    genpass,
    getuser,
    { ...HELP, doc: { ...HELP.doc, since: '6.0.0' } },
    list,
    load,
    log,
    save,
    setuser,
    users,
    whoami,
  ],
);
