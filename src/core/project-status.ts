/**
 * PEP 792 project status, as an index reports it on a project page (fact sheet
 * §10). `unrecognised` keeps a value this client does not know apart from
 * `active`, so no rule treats it as the reassuring case.
 */
export type ProjectStatus = 'active' | 'archived' | 'quarantined' | 'deprecated' | 'unrecognised';
