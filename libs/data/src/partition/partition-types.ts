/** The partitioning schemes {@link partition} knows. */
export type PartitionKind = 'iid' | 'dirichlet' | 'shards' | 'quantity';

/** Options every partitioner takes. */
export interface CommonPartitionOptions {
  /** Number of clients, an integer in `[1, n]`. */
  clients: number;
  /** Integer seed: the same data, options and seed always give the same partition. */
  seed: number;
}

/** IID: a random permutation cut into `clients` parts whose sizes differ by at most one. */
export type IidOptions = CommonPartitionOptions;

/** Label skew by Dirichlet(α) per class (Hsu et al. 2019; NIID-Bench / FedML's variant). */
export interface DirichletOptions extends CommonPartitionOptions {
  /** Concentration α > 0: small (0.1) gives a few labels per client, large (100) approaches IID. */
  alpha: number;
  /**
   * Every client gets at least this many samples; draws that miss it are redrawn, as Flower's
   * `DirichletPartitioner(min_partition_size)` and FedML do. Default: 10, or half the mean client
   * size when that is smaller, at least 1.
   */
  minSamples?: number;
  /**
   * NIID-Bench's balancing: while a class is handed out, clients that already hold n/clients
   * samples get no share of it, which keeps client sizes comparable. Default true.
   */
  balance?: boolean;
  /** Draws tried before giving up on `minSamples`. Default 1000. */
  maxAttempts?: number;
}

/** McMahan et al. 2017's pathological non-IID: sort by label, cut into shards, deal k per client. */
export interface ShardsOptions extends CommonPartitionOptions {
  /** Shards per client, k ≥ 1 (McMahan used 2). There are `clients × k` shards in all. Default 2. */
  shardsPerClient?: number;
}

/** How {@link QuantityOptions} draws client sizes. */
export type QuantitySizes =
  /** Shares of the data ~ Dirichlet(α) (NIID-Bench's quantity skew): small α, very unequal sizes. */
  | { distribution: 'dirichlet'; alpha: number }
  /** Sizes ∝ exp(σZ), Z ~ N(0, 1): log-normal (FedLab's unbalanced split); σ = 0 gives equal sizes. */
  | { distribution: 'lognormal'; sigma: number };

/** Quantity skew: client sizes vary, labels are IID within each client. */
export interface QuantityOptions extends CommonPartitionOptions {
  /** Size distribution. Default `{ distribution: 'dirichlet', alpha: 0.5 }`, NIID-Bench's default β. */
  sizes?: QuantitySizes;
  /** Every client gets at least this many samples. Default as in {@link DirichletOptions.minSamples}. */
  minSamples?: number;
}

/** Options of {@link partition}: the scheme's name in `kind`, then that scheme's options. */
export type PartitionOptions =
  | ({ kind: 'iid' } & IidOptions)
  | ({ kind: 'dirichlet' } & DirichletOptions)
  | ({ kind: 'shards' } & ShardsOptions)
  | ({ kind: 'quantity' } & QuantityOptions);

/** Which samples each client holds, and its label counts. */
export interface Partition {
  /** The scheme that made it. */
  readonly kind: PartitionKind;
  /** Per client, the indices of its samples into the partitioned data, ascending. Disjoint, covering. */
  readonly indices: Uint32Array[];
  /** `histogram[client][label]`: how many samples of each label the client holds. */
  readonly histogram: number[][];
}
