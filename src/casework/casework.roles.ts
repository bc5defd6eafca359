import { StaffRole } from '../common/actor';

/**
 * Who writes plans, attentions and notes: the house's team, its coordinator (who may do all a
 * team member may), and admins. Admission officers place families; they do not work the case.
 */
export const CASEWORK_WRITERS: StaffRole[] = ['team_member', 'house_coordinator', 'admin'];
