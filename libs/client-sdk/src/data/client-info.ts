/**
 * The coordinator's page endpoints, shared by the coordinator (which answers) and the browser SDK
 * (which asks): `GET /client/info` (this JSON) and `GET /client/data/:index` (a demo partition in
 * `dataset-bytes.ts`'s form, with the join token as `Authorization: Bearer <token>`).
 */

/** What `GET /client/info` answers: the running experiment, as a page needs it before joining. */
export interface ClientInfo {
  /** The experiment id `welcome` will state (the key of the stored model and residual). */
  readonly experimentId: string;
  /** The config's name. */
  readonly name: string;
  readonly rounds: number;
  /** Shape of one sample and the class count: what local data must look like. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** The dataset the experiment was prepared on (`mnist`, `synthetic`). */
  readonly dataset: string;
  /** Demo partitions `GET /client/data/:index` serves (indices 0…n−1); 0 when none. */
  readonly partitions: number;
  /** Whether `hello` (and `/client/data`) need a join token. */
  readonly tokenRequired: boolean;
}
