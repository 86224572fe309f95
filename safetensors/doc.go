// Package safetensors writes and strictly reads the safetensors file format
// (Hugging Face, https://huggingface.co/docs/safetensors): the layout PyTorch
// and most model tools load weights from.
//
// A file is
//
//	8 bytes   N, the header length, unsigned little-endian
//	N bytes   a JSON object, UTF-8, optionally padded with trailing spaces
//	the rest  the data buffer: every tensor's elements, row-major,
//	          little-endian, back to back
//
// The header maps each tensor name to {"dtype", "shape", "data_offsets"},
// data_offsets being [begin, end) byte offsets into the data buffer; the
// optional key "__metadata__" maps to an object of string values.
//
// Write lays the tensors out in the order given, pads the header with spaces
// so that the data buffer starts at a multiple of 8, and writes the metadata
// first. Parse accepts exactly the files the format allows and rejects
// everything else with an error (never a panic): the header length must fit
// the file and MaxHeader (100,000,000 bytes, the reference bound); the
// header must be one JSON object without duplicate keys or unknown fields;
// dtypes must be known; each tensor's byte size must equal its element count
// times its dtype size (computed without overflow); the tensors must tile
// the data buffer exactly, without gaps, overlaps or trailing bytes. Parse
// allocates nothing beyond the header's own decoding: tensor data are
// sub-slices of the input, so memory stays bounded by the size of the file.
package safetensors
