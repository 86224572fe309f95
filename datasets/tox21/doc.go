// Package tox21 loads the Tox21 Data Challenge 2014 compounds with their 12
// assay labels (missing labels masked) and chemical features, in the official
// split used by DeepTox and by Klambauer et al. 2017 (arXiv:1706.02515, Sec. 4
// "Drug discovery", App. A4.3): 12,060 training compounds (challenge "train" +
// "leaderboard") and 647 test compounds (challenge final-evaluation "score" set).
//
// # Sources
//
// SourceChallenge (the default) reads the files laid out as in the project's
// shared data folder, keyed by sample ID (never by row position):
//
//	<dir>/tox21/tox21_train.csv, tox21_test.csv        sample_id,subset,smiles,<12 assays>; empty = missing
//	<dir>/tox21/derived/tox21_{train,test}_ecfp4_2048.csv.gz          sample_id,parse_status,n_on_bits,on_bits
//	<dir>/tox21/derived/tox21_{train,test}_rdkit_descriptors.csv.gz   sample_id,parse_status,<208 descriptors>
//
//	<dir>/tox21/derived/tox21_{train,test}_{ecfp,fcfp}_counts_r3.csv.gz  sample_id,parse_status,n_features,n_dropped,features (id:count …)
//	<dir>/tox21/derived/tox21_{ecfp,fcfp}_counts_r3_vocab.csv.gz       id,train_df,train_total_count,radius (the column order)
//	<dir>/tox21/derived/tox21_{train,test}_maccs.csv.gz               sample_id,parse_status,n_on_bits,on_bits
//
// Feature groups: GroupECFP4 (2,048 folded Morgan radius-2 bits) and GroupRDKit
// (RDKit 2D descriptors), the default pair; GroupECFPCounts and GroupFCFPCounts
// (unfolded ECFP-like and FCFP-like Morgan identifiers of radius 0–3 with
// their counts, one column per identifier of the group's vocabulary, in its
// order; an identifier outside the vocabulary is an error) and GroupMACCS (the
// 167 MACCS keys as bits). These are substitute features computed with RDKit, not
// the DeepTox features of the paper, so AUCs will not match its Table 2. There
// is no official download for these files: a data directory is required.
//
// SourceDeepTox reads the DeepTox archive (URL, the format the paper used):
//
//	tox21_labels_{train,test}.csv.gz   index column + 12 assays (NR.AhR, …), empty/NA/NaN = missing
//	tox21_dense_{train,test}.csv.gz    index column + 801 dense descriptors
//	tox21_sparse_{train,test}.mtx.gz   Matrix Market coordinate matrix, rows = compounds in label order
//
// with groups GroupDense and GroupSparse. Without a data directory the archive
// is downloaded into the cache; no checksum is published for it, so the cache's
// SOURCE.txt records every file as "unverified".
//
// # Preprocessing (fixed, applied to both sources)
//
//   - Dense/descriptor columns that are empty in every training row (RDKit's
//     Ipc) are dropped; other missing cells, including the two unsanitizable
//     test compounds NCGC00357062-01 and NCGC00357026-01, get the training
//     median of their column.
//   - Options.Transform (default "slog1p") maps dense/descriptor values through
//     sign(x)·log(1+|x|), which tames descriptors spanning many orders of
//     magnitude (BertzCT, Ipc-like counts) while leaving values near zero almost
//     unchanged; "none" keeps raw values.
//   - Count columns go through Options.CountTransform: CountLog1p (the
//     default) maps a count c to log(1+c), CountNone keeps raw counts.
//   - Bit/sparse columns are kept when non-zero in more than MinBitFrac
//     (ECFP4, MACCS), MinCountFrac (ECFP/FCFP counts; 0 keeps the whole
//     vocabulary) or MinSparseFrac (DeepTox sparse) of the training compounds.
//     DefaultOptions uses 0.01 for ECFP4 (582 of 2,048 bits on the shared
//     data) and 0.05 for DeepTox sparse columns, the rule of DeepTox's
//     sampleCode.py (the 1,644-input setting: 801 dense + 843 sparse). Missing
//     bits (unsanitizable compounds) are 0.
//   - Any column constant over the training rows is dropped.
//
// Validation rows: ValidationSplit carves a seeded, stratified fraction;
// FingerprintGroups numbers the compounds by ECFP4 fingerprint, so that
// datasets.GroupHoldOut keeps identical structures (the training set lists
// many several times) on one side; LeaderboardRows gives the challenge's
// leaderboard batch (Options.Validation names the three choices).
//
// Load does not standardize: carve the validation rows first (ValidationSplit),
// fit datasets.FitStandardizerRows on the remaining training rows and apply it
// to training, validation and test sets. Setting Standardizer.Clip (e.g. 5)
// bounds rare-bit outliers after standardization.
//
// Feature names are "<group>:<name>", e.g. "rdkit:MolWt", "ecfp4:1017",
// "dense:<header name>", "sparse:<1-based column>". Task names are the
// challenge assay names (Tasks), IDs the sample IDs.
package tox21
