"""The five seed pages: real article pages of five replica portals, rebuilt from their text.

/work/shared/seeds holds what five real article pages read like once turned
into text, boilerplate included. `SEED_TEXTS` keeps those texts verbatim
(no-break spaces written as \\u00a0); this module reads each one into the
article its portal publishes in every fleet (`Fixed`, turned into a `Story`
by `fixed_stories`), and into the facts of its page chrome the platform
templates reuse (footers, slogan, visitor counter, advertisement blocks):

    seed  portal     page text used
    000   muonglat   title, lead (.sapo-detail), body with 4 "Anh-tin-bai" images, author "Hồ Thuỷ - TTCƯDVC"
    001   camtu      title, lead, body with 3 "Anh-tin-bai" images, no author
    002   quanhoa    title, "Đăng ngày 11 - 05 - 2022", lead, body, no image, no author; its "Tin mới nhất"
                     list names six more articles, published here too ("seed-context")
    003   baolaocai  title, sapo, body with 6 named images and 2 subheadings, no author; the nine
                     "Tin cùng chuyên mục" teasers after it are articles published here too
    004   nongcong   title, "Đăng lúc: 15:50:04 29/05/2023 (GMT+7)", lead, body with "Image-1 (27).jpg",
                     author "Hoàng Yến"

The line after the headline is the page's lead (summary element), not body
text: on the SharePoint seeds it is the only paragraph without the editors'
&nbsp; indent. Where a seed shows no date line (000, 001, 003) the page
states its date in <meta property="article:published_time"> only; the dates
are chosen to fit the text ("Chiều ngày 10/7", "Chiều 10/9", "sáng 07/9").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from crawler.replica.content import (
    Block, Snapshot, Story, Voice, fill_story, local, nfc, story_rng, truncate,
)

SEED_PORTALS = {"000": "muonglat", "001": "camtu", "002": "quanhoa", "003": "baolaocai", "004": "nongcong"}
SEED_FILES = {  # the file each text was copied from, in /work/shared/seeds
    "000": "000_a885daa8b7a8817d.txt", "001": "001_1836471f03207e91.txt", "002": "002_786efb6ce3412d27.txt",
    "003": "003_45f7f25ccf421567.txt", "004": "004_f7edd0fd86dc4653.txt",
}

SEED_TEXTS: dict[str, str] = {
    "000": """\
image banner
Xã Mường Lát: Tham dự Hội nghị trực tuyến toàn tỉnh về rà soát, đánh giá tình hình kết quả vận hành mô hình chính quyền địa phương 2 cấp và chương trình xoá nhà tạm, nhà dột nát
Chiều ngày 10/7, dưới sự chủ trì của đồng chí Nguyễn Doãn Anh, Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy, Thường trực Tỉnh ủy Thanh Hóa tổ chức hội nghị trực tuyến toàn tỉnh về rà soát, đánh giá tình hình kết quả vận hành mô hình chính quyền địa phương 2 cấp và chương trình xoá nhà tạm, nhà dột nát. Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến, kết nối từ điểm cầu Tỉnh ủy đến điểm cầu 166 xã, phường trên địa bàn toàn tỉnh.

Dự và chủ trì hội nghị tại điểm cầu Đảng uỷ xã Mường Lát có đồng chí Trịnh Văn Thế, Bí thư Đảng uỷ, Chủ tịch HĐND xã. Tham dự hội nghị có các đồng chí: Lê Công Nam, Phó Bí thư Thường trực Đảng uỷ; Trịnh Văn Bắc, Phó Bí thư Đảng ủy, Chủ tịch UBND xã; Các đồng chí Uỷ viên BTV Đảng uỷ, Uỷ viên Ban Chấp hành Đảng bộ xã; trưởng, phó các ban, phòng, ngành, MTTQ, đoàn thể xã.

Anh-tin-bai\u00a0(Các đại biểu tham dự Hội nghị tại điểm cầu xã Mường Lát)

Tại hội nghị, Sở\u00a0 Dân tộc và Tôn giáo đã báo cáo tiến độ thực hiện Chương trình xóa nhà tạm, nhà dột nát trên địa bàn tỉnh.\u00a0Theo báo cáo, đến nay toàn tỉnh đã hoàn thành 12.161 căn nhà (đạt 82,3% kế hoạch); đang xây dựng 2.619 căn và đã giải ngân hỗ trợ cho 13.082 hộ với tổng nguồn lực huy động hơn 1.584 tỉ đồng.

Cũng tại hội nghị, Giám đốc Sở Nội vụ báo cáo kết quả hoạt động xã, phường theo mô hình chính quyền địa phương 2 cấp. Theo đó, sau 10 ngày hoạt động, 166 xã, phường trên địa bàn tỉnh đã tổ chức thực hiện quyết liệt, bài bản, đồng bộ và bước đầu đạt được những kết quả rất tích cực. Ngay trong ngày đầu tiên vận hành, 100% xã, phường đã tổ chức thành công các hội nghị của cấp ủy, kỳ họp HĐND, phiên họp UBND; hoàn thành phân công nhiệm vụ, kiện toàn nhân sự và ban hành quy chế làm việc.

Trung tâm Phục vụ hành chính công cấp xã đã bước đầu hoạt động nền nếp; hệ thống công nghệ thông tin từng bước được đầu tư đồng bộ, bảo đảm phục vụ công tác chỉ đạo, điều hành, giải quyết thủ tục hành chính cho Nhân dân. Nhận thức, tinh thần trách nhiệm của đội ngũ cán bộ được nâng lên rõ rệt. Nhiều địa phương đã nhanh chóng thích ứng, chủ động đổi mới phương thức làm việc theo hướng hiện đại, chuyên nghiệp, phục vụ.

Anh-tin-bai

Thảo luận tại hội nghị, các đại biểu đã tập trung phân tích đánh giá kết quả đạt được trong công tác xóa nhà tạm, nhà dột nát cũng như hoạt động thực hiện chính quyền địa phương 2 cấp từ 01/7 đến nay, những khó khăn, bất cập và các giải pháp tập trung thực hiện trong thời gian tiếp theo.

Anh-tin-bai

Phát biểu chỉ đạo và kết luận hội nghị, đồng chí Nguyễn Doãn Anh, Ủy viên BCH Trung ương Đảng, Bí thư Tỉnh ủy nhấn mạnh: Việc xóa nhà tạm, nhà dột nát là nhiệm vụ chính trị đặc biệt quan trọng, mang ý nghĩa nhân văn sâu sắc, thể hiện tinh thần trách nhiệm của cấp ủy, chính quyền và cả hệ thống chính trị trong công cuộc chăm lo đời sống Nhân dân, nhất là Nhân dân các huyện miền núi, vùng sâu, vùng xa, vùng đồng bào dân tộc thiểu số.

Anh-tin-bai(Đồng chí Bí thư Tỉnh uỷ Nguyễn Doãn Anh kết luận Hội nghị)
Về tình hình hoạt động chính quyền địa phương 2 cấp, Bí thư Tỉnh ủy đánh giá cao sự chủ động, nỗ lực của các địa phương, nhất là các xã miền núi, dù còn nhiều khó khăn nhưng đã khẩn trương ổn định bộ máy, hoàn thiện tổ chức để đi vào vận hành thông suốt.\u00a0Đây là tiền đề quan trọng để tiến tới xây dựng một nền hành chính hiện đại, phục vụ Nhân dân, vì Nhân dân. Bí thư Tỉnh ủy yêu cầu: Các địa phương tiếp tục ổn định tư tưởng cán bộ, công chức, không để gián đoạn trong quá trình thực thi nhiệm vụ; thực hiện việc công khai, minh bạch thủ tục hành chính, tăng cường tuyên truyền để người dân nắm rõ nhiệm vụ của chính quyền cấp xã mới. Tiếp tục đẩy mạnh chuyển đổi số, lan toả phong trào “Bình dân học vụ số”, lắp đặt hoàn thiện hệ thống mạng internet để kết nối thông suốt bảo đảm hoạt động chỉ đạo, điều hành. Các Trung tâm Phục vụ hành chính công bố trí nhân lực hỗ trợ người dân khi đến giải quyết thủ tục hành chính.\u00a0Tất cả các cấp ủy, chính quyền phải quán triệt tinh thần đoàn kết, thống nhất trong hành động để xây dựng địa phương vững mạnh, từ đó góp phần xây dựng tỉnh Thanh Hóa ngày càng phát triển.
Hồ Thuỷ - TTCƯDVC
Tin nổi bật
image advertisement
image advertisement
image advertisement
image advertisement

image advertisement

Thống kê truy cập
  • Đang online: 1
  • Hôm nay: 1
  • Trong tuần: 1
  • Tất cả: 1

CƠ QUAN CHỦ QUẢN: UBND Xã Mường Lát
Địa chỉ: Khu 2 Xã Mường Lát
Email:muonglat@thanhhoa.gov.vn
Trưởng Ban biên tập: Mai Xuân Giang ; Chức vụ:Phó chủ tịch UBND xã Mường Lát
Ghi rõ nguồn: Cổng thông tin điện tử tỉnh Thanh Hóa xã Mường Lát

Website được thiết kế bởi VNPT""",
    "001": """\
image banner
Hội nghị trực tuyến đánh giá hoạt động chính quyền địa phương 2 cấp và công tác khắc phục hậu quả do bão số 5 gây ra .
Chiều 10/9, Thường trực Tỉnh ủy Thanh Hóa tổ chức hội nghị trực tuyến kết nối đến 166 xã, phường trong toàn tỉnh nhằm đánh giá hoạt động chính quyền địa phương 2 cấp; công tác khắc phục hậu quả do cơn bão số 5 và mưa lũ sau bão gây ra trên địa bàn tỉnh. Đồng chí Nguyễn Doãn Anh, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy trực tiếp chỉ đạo hội nghị\u00a0.
Anh-tin-bai

Chủ trì tại điểm cầu xã Cẩm Tú có đồng chí Phạm Thị Nhàn – Bí thư Đảng uỷ, Chủ tịch HĐND xã; các đồng chí trong BTV Đảng uỷ, TTHĐND, UBND, UBMTTQ các đoàn thể chính trị xã hội; trưởng phó các phòng, ban ngành, đơn vị chức năng trên địa bàn.

Anh-tin-bai

Sau hơn 2 tháng đi vào hoạt động, mô hình chính quyền địa phương 2 cấp đã góp phần nâng cao hiệu quả công tác tiếp cận và phục vụ người dân tại cấp xã. Với vai trò là cấp hành chính trực tiếp, gần dân nhất, các xã, phường mới đã nhanh chóng ổn định tổ chức, chủ động đổi mới phương thức làm việc theo hướng phục vụ, lấy người dân làm trung tâm. Năng lực, thái độ phục vụ của đội ngũ cán bộ, công chức cấp xã từng bước được nâng lên qua đó, tăng cường tính chuyên nghiệp, hiện đại trong công tác tiếp công dân và giải quyết hồ sơ, thủ tục hành chính của cá nhân và tổ chức được tốt hơn từng bước củng cố niềm tin và sự đồng thuận của Nhân dân với chính quyền địa phương. Hiệu quả hoạt động của chính quyền địa phương 2 cấp đã được thể hiện rất rõ trong công tác ứng phó với bão số 5 và mưa lũ sau bão, cũng như công tác khắc phục thiệt hại do thiên tai gây ra, các địa phương và ngành chức năng đã huy động tối đa nguồn lực để tập trung khắc phục hậu quả thiên tai, sớm ổn định cuộc sống và sản xuất của Nhân dân.

Anh-tin-bai

Phát biểu chỉ đạo tại Hội nghị , Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị các ngành, địa phương cần rút kinh nghiệm và khắc phục ngay những tồn tại, hạn chế trong công tác phòng, chống thiên tai, đặc biệt là công tác chuẩn bị theo phương châm “4 tại chỗ” và những bất cập trong công tác đảm bảo thông tin liên lạc phục vụ chỉ huy phòng, chống thiên tai. Về hoạt động của chính quyền địa phương 2 cấp, Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị các ngành, các cấp tiếp tục phát huy những mặt mạnh, những kết quả đạt được; tập trung khắc phục khó khăn, vướng mắc về nguồn nhân lực, hạ tầng công nghệ thông tin, cơ sở vật chất trang thiết bị phục vụ làm việc. Lãnh đạo, chỉ đạo, tổ chức thực hiện hiệu quả các nhiệm vụ phát triển kinh tế - xã hội, đảm bảo quốc phòng - an ninh; chuẩn bị tốt các điều kiện để tổ chức thành công Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2025-2030.

Bí thư Tỉnh ủy Nguyễn Doãn Anh đề nghị toàn thể cán bộ, đảng viên và Nhân dân trong tỉnh tiếp tục phát huy tinh thần đoàn kết, trách nhiệm, nỗ lực cố gắng vượt qua mọi khó khăn, quyết tâm hoàn thành thắng lợi các mục tiêu, nhiệm vụ đã đề ra, xây dựng tỉnh Thanh Hóa ngày càng phát triển, giàu đẹp, văn minh, hiện đại.

Tin nổi bật
image advertisement
image advertisement
image advertisement
image advertisement
image advertisement

image advertisement

Thống kê truy cập
  • Đang online: 1
  • Hôm nay: 1
  • Trong tuần: 1
  • Tất cả: 1

CƠ QUAN CHỦ QUẢN: UBND XÃ CẨM TÚ
Địa chỉ: Xã Cẩm Tú, tỉnh Thanh Hóa
Email:.....
Giấy phép: số .... do ....... cấp ngày...
Trưởng Ban biên tập: .....; Chức vụ: .......
Ghi rõ nguồn: Trang thông tin điện tử xã Cẩm Tú hoặc https://camtu.thanhhoa.gov.vn khi bạn phát hành lại thông tin từ Website này.

Website được thiết kế bởi VNPT""",
    "002": """\
Cổng thông tin điện tử tỉnh thanh hóa

Huyện Quan Hóa

Huyện ủy Quan Hóa: Triển khai kết luận số 684 của Ban thường vụ Tỉnh ủy và ra mắt mô hình chính quyền dân vận khéo xã Phú Sơn

Đăng ngày 11 - 05 - 2022
100%

Sáng ngày 11/5/2022, tại xã Phú Sơn, huyện ủy Quan Hóa tổ chức hội nghị triển khai Kết luận của Ban thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng đồng bào dân tộc Mông tỉnh Thanh Hóa, giai đoạn 2021 -2025 và ra mắt mô hình chính quyền dân vận khéo xã Phú Sơn. Đồng chí Hà Thị Thuận TV huyện ủy, Trưởng Ban dân vận, CT UBMTTQ huyện dự chỉ đạo hội nghị.

\u00a0Kết luận số 684 ngày 10/12/2021 của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng đồng bào dân tộc Mông tỉnh Thanh Hóa, giai đoạn 2021 -2025 đề ra các chỉ tiêu chủ yếu. Đến năm 2025, mỗi đoàn thể cấp xã xây dựng được từ 1 đến 2 mô hình “dân vận khéo” trong phát triển kinh tế, giảm nghèo và xây dựng đời sống văn hóa mới mỗi năm; tăng cường vận động, hướng dẫn đồng bào ứng dụng tiến bộ khoa học kỹ thuật vào sản xuất, đẩy mạnh phát triển kinh tế, phấn đấu mức thu nhập bình quân của đồng bào dân tộc Mông năm 2025 tăng trên 2 lần so với năm 2020;\u00a0 tỷ lệ hộ nghèo giai đoạn 2021 -2025, mỗi năm giảm từ 3% trở lên. \u00a0Các giải pháp chủ yếu thực hiện kết luận là: tăng cường sự lãnh đạo, chỉ đạo của các cấp ủy, tổ chức Đảng; nâng cao nhận thức và trách nhiệm của cả hệ thống chính trị, tiếp tục đổi mới và nâng cao hiệu quả công tác dân vận trong vùng đồng bào dân tộc Mông; xây dựng, củng cố tổ chức, bộ máy, đội ngũ cán bộ dân vận vùng đồng bào dân tộc Mông.

Tại hội nghị, lãnh đạo UBND huyện cũng đã quán triệt Kế hoạch số 33 của UBND huyện về thực hiện Kết luận số 684-KL/TU của Ban Thường vụ Tỉnh ủy về tăng cường công tác dân vận vùng ĐBDT Mông tỉnh Thanh Hóa, giai đoạn 2021-2025.

Tại hội nghị, lãnh đạo xã Phú Sơn đã triển khai kế hoạch xây dựng mô hình "Chính quyền dân vận khéo" trong công tác Dân vận của chính quyền xã năm 2022; công bố quyết định thành lập Ban Chỉ đạo thực hiện mô hình điểm "Chính quyền dân vận khéo"; thông qua quy chế hoạt động Ban chỉ đạo thực hiện mô hình điểm "Chính quyền dân vận khéo"; thông qua Nghị quyết lãnh đạo thực hiện mô hình điểm "Chính quyền dân vận khéo" năm 2022.

Việc xây dựng mô hình điểm “Chính quyền cơ sở dân vận khéo” tại xã Phú Sơn nhằm tuyên truyền nâng cao nhận thức, trách nhiệm của chính quyền cơ sở và cán bộ, đảng viên, công chức trong thực hiện nhiệm vụ công tác dân vận, cũng như đẩy mạnh phong trào thi đua “Dân vận khéo” trên các lĩnh vực kinh tế - xã hội, quốc phòng - an ninh; nâng cao hiệu quả công tác dân vận chính quyền xã Phú Sơn, góp phần\u00a0 nâng cao hiệu lực hiệu quả công tác quản lý Nhà nước trên lĩnh vực đời sống xã hội theo chủ trương của Đảng, Nghị quyết của HĐND thực hiện hiệu quả cải cách hành chính, trọng tâm là cải cách thủ tục hành chính; tiếp tục thực hiện tốt Quy chế dân chủ ở cơ sở. Mặt khác, còn tập trung thực hiện nghiêm túc quy chế dân chủ ở cơ sở theo Pháp lệnh 34/2007/PL-UBTVQH11 của Ủy ban Thường vụ Quốc hội; đẩy mạnh cải cách hành chính và quy trình giải quyết thủ tục hành chính, nhất là Chỉ thị số 01/CT-UBND ngày 01/01/2021 của Chủ tịch UBND tỉnh về tăng cường kỷ luật, kỷ cương trong cơ quan hành chính nhà nước trên địa bàn tỉnh Thanh Hóa; làm tốt công tác phối hợp với Ủy ban MTTQ và các đoàn thể chính trị - xã hội.

\u00a0Thông qua mô hình điểm “Chính quyền cơ sở dân vận khéo” để nhân rộng những cách làm hay, hiệu quả về công tác dân vận chính quyền ở cơ sở, tạo sức lan tỏa trong Nhân dân. Qua đó, góp phần thực hiện thắng lợi các nhiệm vụ chính trị của địa phương và Nghị quyết Đại hội Đảng bộ các cấp nhiệm kỳ 2020-2025 đã đề ra. Từ thực tiễn quá trình xây dựng mô hình điểm còn nhằm đánh giá đúng thực trạng công tác dân vận của chính quyền sơ sở. Trên cơ sở đó, rút ra những bài học kinh nghiệm, đề ra các giải pháp để lãnh đạo, chỉ đạo trong thực hiện tốt công tác dân vận chính quyền trong tình hình mới.

Phát biểu tại hội nghị, đồng chí Hà Thị Thuận TV huyện ủy, Trưởng Ban Dân vận huyện ủy, Chủ tịch Ủy ban MTTQ huyện đề nghị các địa phương quan tâm, chăm lo đào tạo, bồi dưỡng đội ngũ cán bộ người dân tộc Mông; đẩy mạnh việc dạy tiếng Mông cho cán bộ các cấp, để gần dân, sát dân, hiểu dân, nghe dân nói, làm dân tin. Hai xã Phú Sơn, Trung Thành cần phân công nhiệm vụ cụ thể cho MTTQ và từng đoàn thể, chính trị xã hội, tránh trùng lắp trong thực hiện nhiệm vụ; phối hợp chặt chẽ với lực lượng vũ trang, đặc biệt là đội liên ngành, để đẩy mạnh công tác tuyên truyền, vận động, nắm bắt tình hình cơ sở, từ đó đẩy mạnh phát triển kinh tế - xã hội, xây dựng cơ sở hạ tầng, giảm nghèo bền vững, đảm bảo an sinh xã hội ở các địa phương có đồng bào dân tộc Mông.

Đối với việc xây dựng mô hình điểm “Chính quyền cơ sở dân vận khéo” xã Phú Sơn. Đồng chí nhấn mạnh, Ban chỉ đạo xã phải thực tốt quy chế dân chủ cơ sở, công khai, minh bạch các chủ trương chính sách của Đảng, Nhà nước, các dự án phát triển kinh tế - xã hội trên địa bàn xã, khắc phục những tồn tại hạn chế; luôn đề cao ý thức trách nhiệm, gương mẫu, gần gũi với nhân dân, nghe dân nói, nói dân tin; luôn luôn rèn luyện, nâng cao bản lĩnh chính trị. Phối hợp với cấp ủy, chính quyền địa phương thường xuyên kiểm tra, giám sát việc thực hiện mô hình; thường xuyên sâu sát cơ sở, thực sự cùng chung tay với cán bộ, Nhân dân cơ sở.\u00a0

<

Tin mới nhất

Ra mắt thí điểm mô hình “ Điểm dịch Vụ công trực tuyến”(20/05/2022 4:01 CH)

Quán triệt và triển khai thực hiện Nghị quyết về quy hoạch, xây dựng, quản lý và phát triển bền...(18/05/2022 2:27 CH)

Truyền thông, tư vấn và khám chuyên khoa cho nữ công nhân, lao động trên địa bàn huyện Quan Hóa. (13/05/2022 1:55 CH)

Huyện Quan Hoá tổng kết công tác Phòng chống thiên tai, tìm kiếm cứu nạn và Phòng thủ dân sự năm...(12/05/2022 2:32 CH)

Huyện ủy Quan Hóa: Triển khai kết luận số 684 của Ban thường vụ Tỉnh ủy và ra mắt mô hình chính...(11/05/2022 2:15 CH)

Quan Hóa: Hưởng ứng lễ ra quân Tháng vận động triển khai bảo hiểm xã hội toàn dân(09/05/2022 9:05 SA)

Tổ chức Sàn giao dịch việc làm huyện Quan Hóa năm 2022 (06/05/2022 3:42 CH)""",
    "003": """\
"Các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương"

Đó là chỉ đạo của đồng chí Trịnh Xuân Trường - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh tại buổi làm việc với lãnh đạo các xã Mù Cang Chải, Khao Mang, Púng Luông, Lao Chải, Nậm Có, sáng 07/9, để nắm bắt tình hình vận hành mô hình chính quyền địa phương 2 cấp sau hai tháng đi vào hoạt động.

0:00 / 0:00
0:00
baolaocai-br_mg-7173.jpg
Quang cảnh buổi làm việc

Cùng dự buổi làm việc có lãnh đạo: Sở Xây dựng; Sở Tài chính; Văn phòng Tỉnh ủy; Ban Quản lý dự án Đầu tư xây dựng số 1 tỉnh và các xã Mù Cang Chải, Khao Mang, Púng Luông, Lao Chải, Nậm Có.

baolaocai-br_mg-7207.jpg
Lãnh đạo Sở Tài chính phát biểu tại buổi làm việc

Sau hơn 2 tháng đi vào vận hành bộ máy mới, các xã đã cơ bản vận hành đúng chức năng, nhiệm vụ

Tại buổi làm việc, đại diện các xã đã báo cáo khái quát việc triển khai thực hiện các nhiệm vụ về xây dựng đảng trên các lĩnh vực; lãnh đạo, tổ chức thực hiện nhiệm vụ phát triển kinh tế, xã hội, quốc phòng, an ninh; cơ sở vật chất, hạ tầng kỹ thuật, phương tiện, trang thiết bị, điều kiện làm việc cho cán bộ, công chức, viên chức, người lao động; phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số; giải quyết thủ tục hành chính, cung cấp dịch vụ công cho người dân, doanh nghiệp..

7-9-ong-cau.jpg
Lãnh đạo xã Mù Cang Chải phát biểu tại buổi làm việc.

Đến nay, sau hơn 2 tháng đi vào vận hành bộ máy mới đã cơ bản vận hành đúng chức năng, nhiệm vụ theo hướng dẫn; cơ sở vật chất, trang thiết bị làm việc được bố trí tương đối đầy đủ; các phần mềm phục vụ quản lý, giải quyết thủ tục hành chính vận hành thông suốt. Đồng thời, trung tâm phục vụ hành chính công cấp xã cơ bản hoạt động ổn định, giải quyết kịp thời các nhu cầu cho người dân, doanh nghiệp.

baolaocai-br_mg-7179.jpg
Lãnh đạo xã Lao Chải phát biểu tại buổi làm việc.

Tại buổi làm việc, các đại biểu đã trao đổi, thảo luận việc thực hiện mô hình chính quyền địa phương 2 cấp trên địa bàn thời gian qua. Đồng thời, nêu lên một số khó khăn trong quá trình triển khai thực hiện nhiệm vụ như: cơ sở vật chất chưa đáp ứng yêu cầu nhiệm vụ; việc sắp xếp bố trí đội ngũ cán bộ công chức đối với phòng chuyên môn chưa đồng đều; năng lực công tác của một số cán bộ còn hạn chế; thiếu đội ngũ giáo viên, nhất là giáo viên tiếng Anh.

Các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương

Phát biểu tại buổi làm việc, đồng chí Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Trịnh Xuân Trường ghi nhận những kết quả các xã đạt được thời gian qua.

baolaocai-br_7-9-bithu.jpg
Đồng chí Trịnh Xuân Trường - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu kết luận buổi làm việc.

Về phương hướng, nhiệm vụ thời gian tới, đồng chí Bí thư Tỉnh uỷ nhấn mạnh: Các xã cần tiếp tục đoàn kết, ổn định bộ máy để hoạt động thông suốt, đảm bảo hiệu lực, hiệu quả. Cùng đó, đội ngũ cán bộ, công chức, nhất là người đứng đầu tiếp tục sâu sát cơ sở, phân chia địa bàn để theo dõi, nắm bắt, giải quyết các nhu cầu chính đáng của người dân.

Đồng chí yêu cầu, để nâng cao hiệu quả thực thi nhiệm vụ, các xã tiếp tục sắp xếp công việc phù hợp cho cán bộ, công chức; tập huấn nâng cao trình độ chuyên môn, năng lực cho cán bộ theo hướng “cầm tay chỉ việc”; cấp ủy, chính quyền xây dựng nhiệm vụ, kế hoạch trọng tâm từng tháng và lộ trình thực hiện cụ thể, rõ ràng; cán bộ xã phải thuộc nghị quyết, nắm vững địa bàn, đặc biệt trong giai đoạn này cần giữ vững kỷ luật, kỷ cương; các xã cần có sự liên kết để thực hiện các nhiệm vụ trọng tâm; phát huy tiềm năng, thế mạnh của mỗi xã để thúc đẩy phát triển kinh tế - xã hội.

baolaocai-br_7-9-ketluan.jpg
Đồng chí Trịnh Xuân Trường - Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh phát biểu kết luận buổi làm việc.

Đồng chí Trịnh Xuân Trường chỉ rõ, trên cơ sở nghị quyết Đại hội Đảng bộ các cấp, các xã tiếp tục nghiên cứu kỹ để đề ra phương hướng, mục tiêu, nhiệm vụ cho sát với từng địa phương trong phát triển kinh tế, xã hội; phải có quy hoạch tổng thể, chi tiết cho toàn vùng Mù Cang Chải nói chung và các xã sau sáp nhập nói riêng để phát huy hết các tiềm năng, lợi thế trong phát triển kinh tế, nhất là phát triển du lịch gắn với bản sắc văn hóa bản địa.

Đồng thời, đồng chí Bí thư Tỉnh ủy đề nghị các xã sớm hoàn thiện các tuyến đường kết nối chạy qua địa bàn các xã; chú trọng công tác giải phóng mặt bằng nơi có dự án đi qua; chuẩn bị thật tốt các quỹ đất dành cho xây dựng các trường học, y tế; làm tốt công tác xây dựng Đảng và hệ thống chính trị...

Có thể bạn quan tâm

Tin cùng chuyên mục

Nữ bí thư chi bộ tận tụy vì dân

Nữ bí thư chi bộ tận tụy vì dân

Thấm nhuần lời dạy của Bác: "Đảng mạnh là do chi bộ tốt, chi bộ tốt là do đảng viên đều tốt". Để đảng viên trong chi bộ đều tốt, chị Đặng Thị Thu, Bí thư Chi bộ thôn Chanh Yên, xã Thác Bà luôn gương mẫu đi đầu, trách nhiệm, tận tụy với công việc, trở thành người thắp lửa niềm tin để từng đảng viên so mình phấn đấu.

Thống nhất tư tưởng, quyết tâm hành động

Thống nhất tư tưởng, quyết tâm hành động

Hội nghị toàn quốc nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết số 79-NQ/TW về phát triển kinh tế nhà nước và Nghị quyết số 80-NQ/TW về phát triển văn hóa Việt Nam của Bộ Chính trị được tổ chức trực tuyến, kết nối từ Trung ương tới các địa phương đã thu hút sự tham gia đông đảo đội ngũ cán bộ, đảng viên và Nhân dân trong toàn tỉnh.\u00a0

Toàn văn phát biểu của Tổng Bí thư Tô Lâm tại Hội nghị toàn quốc quán triệt, triển khai Nghị quyết số 79 và 80 của Bộ Chính trị

Toàn văn phát biểu của Tổng Bí thư Tô Lâm tại Hội nghị toàn quốc quán triệt, triển khai Nghị quyết số 79 và 80 của Bộ Chính trị

Sáng nay (25/2), Tổng Bí thư Tô Lâm đã dự và phát biểu chỉ đạo tại Hội nghị toàn quốc nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết số 79-NQ/TW về phát triển kinh tế Nhà nước và Nghị quyết số 80-NQ/TW về phát triển văn hóa Việt Nam. Báo Lào Cai trân trọng giới thiệu toàn văn phát biểu của Tổng Bí thư Tô Lâm.

Tổng Bí thư Tô Lâm phát biểu chỉ đạo Hội nghị toàn quốc triển khai thực hiện Nghị quyết 79-NQ/TW và Nghị quyết 80-NQ/TW

Tổng Bí thư Tô Lâm phát biểu chỉ đạo Hội nghị toàn quốc triển khai thực hiện Nghị quyết 79-NQ/TW và Nghị quyết 80-NQ/TW

Sáng 25/2/2026, tại Hội trường Diên Hồng, Nhà Quốc hội, Ban Bí thư tổ chức Hội nghị toàn quốc nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết số 79-NQ/TW về phát triển kinh tế Nhà nước và Nghị quyết số 80-NQ/TW về phát triển văn hóa Việt Nam của Bộ Chính trị.

Đặc khu Trường Sa sẵn sàng công tác chuẩn bị bầu cử sớm

Đặc khu Trường Sa sẵn sàng công tác chuẩn bị bầu cử sớm

Ngày 24/2, tại Vùng 4 Hải quân, phường Bắc Cam Ranh, Tỉnh ủy, HĐND, UBND, Ủy ban MTTQ Việt Nam tỉnh Khánh Hòa tổ chức hội nghị triển khai, giao nhiệm vụ cho các lực lượng bảo đảm thực hiện công tác bầu cử đại biểu Quốc hội khóa XVI và đại biểu HĐND các cấp, nhiệm kỳ 2026 - 2031 ở đặc khu Trường Sa.

Hội nghị toàn quốc quán triệt, triển khai Nghị quyết 79 và 80: Nói là làm, làm nhanh, làm hiệu quả

Hội nghị toàn quốc quán triệt, triển khai Nghị quyết 79 và 80: Nói là làm, làm nhanh, làm hiệu quả

Sáng nay (25/2), tại Thủ đô Hà Nội, Bộ Chính trị, Ban Bí thư tổ chức hội nghị toàn quốc nghiên cứu, học tập, quán triệt và triển khai thực hiện Nghị quyết số 79-NQ/TƯ của Bộ Chính trị về phát triển kinh tế nhà nước và Nghị quyết số 80-NQ/TƯ của Bộ Chính trị về phát triển văn hóa Việt Nam.

Nghị quyết số 79 của Bộ Chính trị: Bệ phóng thể chế cho kinh tế nhà nước

Nghị quyết số 79 của Bộ Chính trị: Bệ phóng thể chế cho kinh tế nhà nước

Nghị quyết số 79-NQ/TW của Bộ Chính trị về phát triển kinh tế nhà nước đã mở ra không gian và tạo động lực mới để thúc đẩy khu vực kinh tế nhà nước thật sự trở thành nền tảng vững chắc, bảo đảm tự chủ chiến lược, tự cường và sức cạnh tranh toàn diện của nền kinh tế.

Bảo đảm không làm tăng số biên chế được cấp có thẩm quyền giao giai đoạn 2026 - 2031

Bảo đảm không làm tăng số biên chế được cấp có thẩm quyền giao giai đoạn 2026 - 2031

Sau khi biên chế giai đoạn 2026 - 2031 được cấp có thẩm quyền phê duyệt, các bộ, ngành, địa phương tiếp tục căn cứ vào các tiêu chí cụ thể để chủ động bố trí và giao biên chế cho từng cơ quan, tổ chức, đơn vị thuộc phạm vi quản lý cho phù hợp, bảo đảm không làm tăng số biên chế được cấp có thẩm quyền giao trong giai đoạn này.

Bộ Nội vụ sẽ giải đáp, hướng dẫn thống nhất các vướng mắc phát sinh trong thực tiễn bầu cử

Bộ Nội vụ sẽ giải đáp, hướng dẫn thống nhất các vướng mắc phát sinh trong thực tiễn bầu cử

Về bầu cử đại biểu Quốc hội khóa XVI và đại biểu Hội đồng nhân dân các cấp nhiệm kỳ 2026-2031, Bộ Nội vụ sẽ tổ chức kiểm tra, kịp thời giải đáp, hướng dẫn thống nhất các vướng mắc phát sinh trong thực tiễn, nhất là những vấn đề mới do lần đầu tổ chức bầu cử gắn với mô hình chính quyền địa phương 2 cấp.

fb yt zl tw""",
    "004": """\
CÁN BỘ, ĐẢNG VIÊN VÀ NHÂN DÂN HUYỆN NÔNG CỐNG QUYẾT TÂM THỰC HIỆN THẮNG LỢI NGHỊ QUYẾT ĐẠI HỘI ĐẢNG BỘ HUYỆN LẦN THỨ XXIII, NHIỆM KỲ 2015-2020!

Ra mắt và tập huấn xây dựng mô hình "Chính quyền thân thiện, vì Nhân dân phục vụ"

Đăng lúc: 15:50:04 29/05/2023 (GMT+7)
100%

Chiều 29/5, xã Tân Thọ tổ chức Hội nghị ra mắt và tập huấn xây dựng mô hình "Chính quyền thân thiện, vì Nhân dân phục vụ". Dự hội nghị có đồng chí Lê Trọng Hùng, Ủy viên BTV, Trưởng ban Dân vận Huyện ủy, Chủ tịch Ủy ban MTTQ huyện; đồng chí Lê Thanh Triều, Ủy viên BTV, Trưởng ban Tổ chức Huyện ủy; chuyên viên Ban Dân vận Huyện ủy; đại diện phòng Nội vụ UBND huyện

Image-1 (27).jpg\u00a0

\u00a0 \u00a0 Tại đây, xã Tân Thọ đã thông qua quyết định thành lập Ban điều hành mô hình, thông qua Quy chế hoạt động của mô hình.

\u00a0\u00a0\u00a0\u00a0 Theo đó,\u00a0 Ban điều hành mô hình\u00a0 “Chính quyền thân thiện, vì Nhân dân phục vụ” xã Tân Thọ \u00a0gồm 16 thành viên; Quy chế tổ chức và hoạt động của Ban điều hành gồm 9 điều, quy định rõ nguyên tắc hoạt động và nhiệm vụ của các thành viên Ban điều hành. Ban điều hành hoạt động theo nguyên tắc dân chủ tập trung theo sự điều hành của Trưởng ban, có sự phân công nhiệm vụ, phát huy tinh thần trách nhiệm của mỗi thành viên. Thông qua họp Ban điều hành, các thành viên trong Ban cùng nhau thảo luận, thống nhất và tổ chức thực hiện các nhiệm vụ. Ban điều hành duy trì chế độ họp 01 lần/tháng; khi cần thiết có thể họp đột xuất tùy vào điều kiện thực tế.

\u00a0\u00a0\u00a0\u00a0 Mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” xã Tân Thọ tập trung quán triệt, triển khai, tuyên truyền, vận động các tầng lớp nhân dân thực hiện tốt các chủ trương của Đảng, chính sách, pháp luật của Nhà nước, các chương trình hành động Nghị quyết Đại hội Đảng các cấp, nhiệm kỳ 2020-2025.

\u00a0\u00a0\u00a0 Cụ thể, trên lĩnh vực phát triển kinh tế, làm tốt các bước công khai dân chủ trong giải phóng mặt bằng theo duy định; vận động nhân dân thực hiện tốt công tác giải phóng mặt bằng triển khai các dự án giao thông và thu hồi đất giải phóng mặt bằng đấu giá quyền sử dụng đất. Vận động nhân dân tích cực hiến đất, góp công sức xây dựng, mở rộng đường giao thông nông thôn theo quy mô kỹ thuật tiêu chí đô thị và thực hiện tốt công tác quản lý trật tự xây dựng. Tuyên truyền, vận động các tầng lớp nhân dân thực hiện tốt luật Đất đai sửa đổi; Luật Bảo vệ môi trường. Tuyên truyền, vận động nhân dân thực hiện tốt kế hoạch sản xuất, khuyến khích các doanh nghiệp đầu tư vào nông nghiệp, nông thôn.

\u00a0\u00a0\u00a0 Lĩnh vực Văn hóa -xã hội, làm tốt công tác cải cách thủ tục hành chính, ứng dụng CNTT trong quản lý và giải quyết thủ tục hành chính; công khai kết quả đánh giá và ý kiến, kiến nghị của nhân dân đối với sự phục vụ của chính quyền trong giải quyết thủ tục hành chính cho tổ chức, cá nhân. Xây dựng xã hội học tập tại địa phương, làm tốt công tác khuyến học, khuyến tài. Nâng cao chất lượng y tế cộng đồng. Nâng cao chất lượng hoạt động của các CLB ở các thôn.

\u00a0 \u00a0\u00a0\u00a0Lĩnh vực Quốc phòng - an ninh, nắm chắc tình hình nhân dân, phát hiện sớm những bất cập trong thực hiện chủ trương của Đảng, chính sách pháp luật của Nhà nước ở cơ sở. Thực hiện tốt việc phối hợp các lực lượng trong đảm bảo ANTT, ATGT, quản lý hành lang ATGT. Tổ chức thực hiện tốt công tác tiếp dân, giải quyết khiếu nại, tố cáo và phòng, chống tham nhũng.

\u00a0\u00a0\u00a0\u00a0 \u00a0\u00a0\u00a0Sau khi Ban Điều hành mô hình\u00a0 “Chính quyền thân thiện, vì Nhân dân phục vụ” năm 2023 xã Tân Thọ ra mắt, nhận nhiệm vụ, lãnh đạo ban Dân vận Huyện ủy Nông Cống\u00a0 đã triển khai tập huấn xây dựng mô hình với 02 chuyên đề:\u00a0 Quan điểm, chủ trương của Đảng đối với công tác dân vận chính quyền; hướng dẫn xây dựng thí điểm mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” và Trách nhiệm của chính quyền cơ sở trong việc thực hiện công tác dân vận.

\u00a0\u00a0\u00a0 Thông qua việc xây dựng mô hình “Chính quyền thân thiện, vì Nhân dân phục vụ” nhằm thực hiện hiệu quả “Năm Dân vận chính quyền 2023”; đồng thời tiếp tục tuyên truyền và nhân rộng các mô hình, cách làm hiệu quả của công tác Dân vận chính quyền, tạo sức lan tỏa trong nhân dân, góp phần thực hiện thắng lợi Nghị quyết Đại hội Đại biểu Đảng bộ xã Tân Thọ lần thứ XX và Đại hội Đảng các cấp, nhiệm kỳ 2020-2025.

Hoàng Yến""",
}


@dataclass(frozen=True)
class Fixed:
    """An article every fleet publishes, whatever its seed: a seed page, or one a seed page lists.

    Text fields are raw, as the page shows them (no-break spaces, a trailing
    space); the truth is their `nfc`. What a listed article's page shows
    beyond its title and time (body, lead when None, author when None) is
    drawn from its portal's voice with a Random of its own, the same in
    every fleet.
    """

    portal: str
    title: str
    posted_at: datetime           # the CMS time (lists and side lists print it)
    category: str                 # category key of the portal
    summary: str | None = None
    blocks: tuple[Block, ...] = ()
    images: tuple[tuple[str | None, str | None], ...] = ()  # (file name, None: the platform's; caption)
    author: str | None = None
    seed_id: str = ""
    number: int | None = None     # the article's id in its URL, where the platform has one
    path: str = ""                # the page's path, where the platform's paths are not made from an id
    snapshot: Snapshot = Snapshot()

    @property
    def traits(self) -> frozenset[str]:
        traits = {"seed"} if self.seed_id else {"seed-context"}
        if self.title != self.title.rstrip():
            traits.add("spaced-title")  # the CMS kept a trailing space; side lists print it
        return frozenset(traits)


def seed_lines(seed_id: str) -> list[str]:
    return SEED_TEXTS[seed_id].split("\n")


def _expect(lines: list[str], index: int, text: str) -> None:
    if lines[index] != text:
        raise ValueError(f"seed text changed: line {index} is {lines[index]!r}, expected {text!r}")


def _paragraph(blocks: list[Block], paragraphs: list[str], text: str, kind: str = "p") -> None:
    blocks.append(Block(kind, text, para=len(paragraphs)))
    paragraphs.append(text)


def _image(blocks: list[Block], images: list, paragraphs: list[str], name: str | None, caption: str | None,
           tail: str = "") -> None:
    blocks.append(Block("img", tail, image=len(images), para=len(paragraphs) - 1))
    images.append((name, nfc(caption) if caption else None))


# --------------------------------------------------------------------------------------------
# VNPT commune portals: 000 (muonglat), 001 (camtu)
# --------------------------------------------------------------------------------------------

ANH_TIN_BAI = "Anh-tin-bai"


def _vnpt_body(lines: list[str]) -> tuple[tuple[Block, ...], tuple]:
    """"Anh-tin-bai" lines are images (caption in brackets after the alt text, or none); the rest paragraphs."""
    blocks: list[Block] = []
    images: list = []
    paragraphs: list[str] = []
    for line in filter(None, lines):
        if line.startswith(ANH_TIN_BAI):
            rest = line[len(ANH_TIN_BAI):].strip(" \u00a0")
            if rest and not (rest.startswith("(") and rest.endswith(")")):
                raise ValueError(f"unexpected text after an image: {line!r}")
            _image(blocks, images, paragraphs, None, rest[1:-1] if rest else None)
        else:
            _paragraph(blocks, paragraphs, line)
    return tuple(blocks), tuple(images)


@dataclass(frozen=True)
class VnptChrome:
    """The chrome a VNPT seed page shows around its article."""

    ads: tuple[int, ...]          # "image advertisement" images per side block
    counter: tuple[int, int, int, int]
    footer: tuple[str, ...]       # the lines between the counter and "Website được thiết kế bởi VNPT"


def vnpt_chrome(seed_id: str) -> VnptChrome:
    lines = seed_lines(seed_id)
    hot, counter = lines.index("Tin nổi bật"), lines.index("Thống kê truy cập")
    ads = [len(group.split("\n")) for group in "\n".join(lines[hot + 1: counter]).strip("\n").split("\n\n")]
    online, today, week, total = (int(line.rsplit(":", 1)[1]) for line in lines[counter + 1: counter + 5])
    end = lines.index("Website được thiết kế bởi VNPT")
    return VnptChrome(tuple(ads), (online, today, week, total), tuple(filter(None, lines[counter + 5: end])))


def _vnpt(seed_id: str, posted_at: datetime, category: str, number: int, author: bool) -> Fixed:
    lines = seed_lines(seed_id)
    _expect(lines, 0, "image banner")
    hot = lines.index("Tin nổi bật")
    body = lines[3: hot - 1 if author else hot]
    blocks, images = _vnpt_body(body)
    chrome = vnpt_chrome(seed_id)
    return Fixed(
        portal=SEED_PORTALS[seed_id], title=lines[1], summary=lines[2], blocks=blocks, images=images,
        author=lines[hot - 1] if author else "", posted_at=posted_at, category=category, seed_id=seed_id,
        number=number,
        snapshot=Snapshot(date_line=False, tools=False, hot_items=False, latest=False, ads=chrome.ads,
                          counter=chrome.counter, related=()),
    )


# --------------------------------------------------------------------------------------------
# SharePoint district portals: 002 (quanhoa), 004 (nongcong)
# --------------------------------------------------------------------------------------------

SIDE_ITEM = re.compile(r"^(?P<title>.*)\((?P<d>\d{2})/(?P<m>\d{2})/(?P<y>\d{4}) (?P<h>\d{1,2}):(?P<min>\d{2}) (?P<half>SA|CH)\)$")
# The "Tin mới nhất" list of 002 cuts long titles; the whole titles of its two cut neighbours.
WHOLE_TITLES = (
    "Quán triệt và triển khai thực hiện Nghị quyết về quy hoạch, xây dựng, quản lý và phát triển bền vững "
    "đô thị Việt Nam đến năm 2030, tầm nhìn đến năm 2045",
    "Huyện Quan Hoá tổng kết công tác Phòng chống thiên tai, tìm kiếm cứu nạn và Phòng thủ dân sự năm 2021, "
    "triển khai nhiệm vụ năm 2022",
)
# Channels of the articles 002 lists (the seed itself is Chính trị).
QUANHOA_CHANNELS = ("Chinh-tri", "Chinh-tri", "Van-hoa-xa-hoi", "Van-hoa-xa-hoi", "Chinh-tri", "Van-hoa-xa-hoi",
                    "Kinh-te")


def _side_items(lines: list[str], whole_titles: tuple[str, ...]) -> list[tuple[str, datetime]]:
    """'Title(20/05/2022 4:01 CH)' rows -> (title as the page stores it, time); cut titles are
    looked up in `whole_titles`."""
    items = []
    for line in filter(None, lines):
        match = SIDE_ITEM.match(line)
        if match is None:
            raise ValueError(f"not a side-list row: {line!r}")
        hour = int(match["h"]) % 12 + (12 if match["half"] == "CH" else 0)
        when = local(int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["min"]))
        title = match["title"]
        if title.endswith("..."):
            title = next(whole for whole in whole_titles if truncate(whole) == title)
        items.append((title, when))
    return items


def _quanhoa() -> list[Fixed]:
    lines = seed_lines("002")
    _expect(lines, 0, "Cổng thông tin điện tử tỉnh thanh hóa")
    _expect(lines, 2, "Huyện Quan Hóa")
    _expect(lines, 7, "100%")
    back, latest = lines.index("<"), lines.index("Tin mới nhất")
    blocks: list[Block] = []
    paragraphs: list[str] = []
    for line in filter(None, lines[10:back]):
        _paragraph(blocks, paragraphs, line)
    title = lines[4]
    listed = _side_items(lines[latest + 1:], (*WHOLE_TITLES, title))
    fixed = []
    for (shown, when), channel in zip(listed, QUANHOA_CHANNELS):
        if shown == title:
            if lines[6] != f"Đăng ngày {when:%d - %m - %Y}":
                raise ValueError(f"seed 002: the date line {lines[6]!r} disagrees with the side list")
            fixed.append(Fixed(portal="quanhoa", title=title, summary=lines[9], blocks=tuple(blocks), author="",
                               posted_at=when, category=channel, seed_id="002",
                               path="/portal/Pages/2022-5-11/Huyen-uy-Quan-Hoa-Trien-khai-ket-luan-so-684-cua-Bantuja6ggf.aspx"))
        else:
            fixed.append(Fixed(portal="quanhoa", title=shown, posted_at=when, category=channel))
    if sum(f.seed_id == "002" for f in fixed) != 1:
        raise ValueError("seed 002 is not in its own side list")
    return fixed


IMAGE_NAME = re.compile(r"^(?P<name>Image-\d+ \(\d+\)\.jpg)(?P<tail>[\s\u00a0]*)$")


def nongcong_slogan() -> str:
    return seed_lines("004")[0]


def _nongcong() -> Fixed:
    lines = seed_lines("004")
    _expect(lines, 5, "100%")
    date = re.fullmatch(r"Đăng lúc: (\d{2}):(\d{2}):(\d{2}) (\d{2})/(\d{2})/(\d{4}) \(GMT\+7\)", lines[4])
    if date is None:
        raise ValueError(f"seed 004: no date line at line 4: {lines[4]!r}")
    hour, minute, second, day, month, year = map(int, date.groups())
    blocks: list[Block] = []
    images: list = []
    paragraphs: list[str] = []
    for line in filter(None, lines[8:-1]):
        if match := IMAGE_NAME.match(line):
            # The file name shows as the image's title; the empty paragraph after it keeps the
            # next paragraph from reading as a caption.
            _image(blocks, images, paragraphs, match["name"], None, tail=match["tail"])
            blocks.append(Block("gap", para=len(paragraphs) - 1))
        else:
            _paragraph(blocks, paragraphs, line)
    posted = local(year, month, day, hour, minute).replace(second=second)
    return Fixed(portal="nongcong", title=lines[2], summary=lines[7], blocks=tuple(blocks), images=tuple(images),
                 author=lines[-1], posted_at=posted, category="Chinh-tri", seed_id="004",
                 path="/portal/Pages/2023-5-29/Ra-mat-va-tap-huan-xay-dung-mo-hinh-Chinh-quyen-than-468686.aspx")


# --------------------------------------------------------------------------------------------
# Báo Lào Cai: 003
# --------------------------------------------------------------------------------------------

FILE_NAME = re.compile(r"^[\w.-]+\.(jpe?g|png)$")
BAOLAOCAI_SUBHEAD_LINES = (14, 28)  # short bold lines inside the body
# The nine teasers under "Tin cùng chuyên mục" were the newest of the category when the page was saved.
BAOLAOCAI_LISTED_AT = (
    local(2026, 2, 26, 7, 45), local(2026, 2, 25, 20, 10), local(2026, 2, 25, 16, 32), local(2026, 2, 25, 12, 5),
    local(2026, 2, 25, 10, 48), local(2026, 2, 25, 10, 20), local(2026, 2, 25, 6, 30), local(2026, 2, 24, 17, 15),
    local(2026, 2, 24, 15, 40),
)


def _baolaocai() -> list[Fixed]:
    lines = seed_lines("003")
    _expect(lines, 4, "0:00 / 0:00")
    _expect(lines, 5, "0:00")
    interest, related = lines.index("Có thể bạn quan tâm"), lines.index("Tin cùng chuyên mục")
    social = lines.index("fb yt zl tw")
    if any(lines[interest + 1: related]):
        raise ValueError("seed 003: the 'Có thể bạn quan tâm' block is not empty any more")
    blocks: list[Block] = []
    images: list = []
    paragraphs: list[str] = []
    index, end = 6, interest
    while index < end:
        line = lines[index]
        if FILE_NAME.match(line):
            _image(blocks, images, paragraphs, line, lines[index + 1])
            index += 1
        elif line:
            _paragraph(blocks, paragraphs, line, "h2" if index in BAOLAOCAI_SUBHEAD_LINES else "p")
        index += 1
    teasers = [line for line in lines[related + 1: social] if line]
    if len(teasers) % 3 or any(teasers[i] != teasers[i + 1] for i in range(0, len(teasers), 3)):
        raise ValueError("seed 003: teasers are not (title, title, sapo) triples")
    listed = [Fixed(portal="baolaocai", title=teasers[i], summary=teasers[i + 2], posted_at=when, category="thoi-su")
              for i, when in zip(range(0, len(teasers), 3), BAOLAOCAI_LISTED_AT, strict=True)]
    seed = Fixed(
        portal="baolaocai", title=lines[0], summary=lines[2], blocks=tuple(blocks), images=tuple(images), author="",
        posted_at=local(2025, 9, 7, 14, 36), category="thoi-su", seed_id="003", number=903104,
        snapshot=Snapshot(date_line=False, related=tuple(nfc(f.title) for f in listed), interest=()),
    )
    return [*listed, seed]


# --------------------------------------------------------------------------------------------

def _all_fixed() -> dict[str, list[Fixed]]:
    fixed = [
        _vnpt("000", local(2025, 7, 10, 17, 35), "tin-tuc-su-kien", 1085127, author=True),
        _vnpt("001", local(2025, 9, 10, 18, 5), "chinh-quyen-dia-phuong", 1101938, author=False),
        *_quanhoa(), *_baolaocai(), _nongcong(),
    ]
    by_portal: dict[str, list[Fixed]] = {}
    for item in sorted(fixed, key=lambda f: f.posted_at, reverse=True):
        by_portal.setdefault(item.portal, []).append(item)
    return by_portal


FIXED: dict[str, list[Fixed]] = _all_fixed()


def fixed_stories(portal_id: str, voice: Voice) -> list[Story]:
    """The stories every fleet publishes on `portal_id`, newest first: its seed page and the articles it lists."""
    stories = []
    for item in FIXED.get(portal_id, []):
        if item.blocks:
            paragraphs = tuple(block for block in item.blocks if block.kind in ("p", "h2"))
            stories.append(Story(
                title=nfc(item.title), published_at=item.posted_at, lead=nfc(item.summary or ""),
                paragraphs=tuple(nfc(block.text) for block in paragraphs),
                captions=tuple(caption for _, caption in item.images), author=nfc(item.author or ""), tags=(),
                category=item.category, subheads=tuple(i for i, block in enumerate(paragraphs) if block.kind == "h2"),
                fixed=item,
            ))
        else:
            rng = story_rng(0, portal_id, f"listed:{item.title}")  # the same text in every fleet
            story = fill_story(rng, voice, item.title, item.posted_at, item.category, lead=item.summary)
            stories.append(replace(story, fixed=item))
    return stories
