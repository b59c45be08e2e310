// One lane of the tile's thresholder (hw/models/thresholder.h): requantizes an int32 sum to a
// binary or ternary activation code, or passes it through.
//
//   b1  (mode 0): code[0] = acc >= t0            (1 = +1, 0 = -1; invert flips it)
//   t2  (mode 1): v = [acc >= t0] + [acc >= t1] - 1 in {-1, 0, +1}, negated by invert;
//                 code[1:0] = {neg, nz} as packed in the buffers (00 = 0, 01 = +1, 11 = -1)
//   i32 (mode 2): code = acc
//
// Handshake (valid/ready, one element per beat): an element is accepted at a rising edge
// with in_valid && in_ready; its result leaves at a rising edge with out_valid && out_ready.
// The pipeline is cfg_tap + 1 stages deep (1 = the result is registered at the accepting
// edge) and stalls as a whole while out_valid && !out_ready, so in_ready = !out_valid ||
// out_ready. Back to back, B beats take B + cfg_tap cycles from the first accepting
// edge to the last result.
//
// cfg_tap = latency - 1, latency (1..16) being the arch file's tile.thresholder.latency: a
// synthesis parameter of the real block, a static input here so that one Verilated build
// serves every arch file. It must not change while elements are in flight.
// Reset: synchronous, active low (clears the valid bits only).
module imc_thresholder #(
    localparam int MAX_LATENCY = 16
) (
    input  logic        clk,
    input  logic        rst_n,
    input  logic [ 3:0] cfg_tap,
    input  logic        in_valid,
    output logic        in_ready,
    input  logic [31:0] in_acc,
    input  logic [31:0] in_t0,
    input  logic [31:0] in_t1,
    input  logic        in_invert,
    input  logic [ 1:0] in_mode,
    output logic        out_valid,
    input  logic        out_ready,
    output logic [31:0] out_code
);
  localparam logic [1:0] ModeB1 = 2'd0;
  localparam logic [1:0] ModeT2 = 2'd1;

  // Stage 0: the comparison, combinational from the inputs.
  logic ge0, ge1;
  logic [31:0] code;
  always_comb begin
    ge0 = $signed(in_acc) >= $signed(in_t0);
    ge1 = $signed(in_acc) >= $signed(in_t1);
    case (in_mode)
      ModeB1: code = {31'd0, ge0 ^ in_invert};
      // v = ge0 + ge1 - 1: ge0 ge1 = 00 -> -1, 10 -> 0, 11 -> +1; 01 (only when t1 < t0,
      // which WTH refuses) gives 0 as well. Nonzero iff ge0 == ge1, negative iff that is
      // 00, negated by invert.
      ModeT2: code = {30'd0, (ge0 == ge1) & (~ge0 ^ in_invert), ge0 == ge1};
      default: code = in_acc;
    endcase
  end

  // Stages 1..MAX_LATENCY: a shift register; the result is tapped at stage cfg_tap + 1.
  logic [MAX_LATENCY-1:0] vld;
  logic [31:0] data[MAX_LATENCY];
  logic advance;

  assign out_valid = vld[cfg_tap];
  assign out_code = data[cfg_tap];
  assign advance = !out_valid || out_ready;
  assign in_ready = advance;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      vld <= '0;
    end else if (advance) begin
      vld <= {vld[MAX_LATENCY-2:0], in_valid};
    end
  end

  always_ff @(posedge clk) begin
    if (advance) begin
      data[0] <= code;
      for (int i = 1; i < MAX_LATENCY; i++) data[i] <= data[i-1];
    end
  end
endmodule
